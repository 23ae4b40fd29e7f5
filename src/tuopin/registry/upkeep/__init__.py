"""Registry upkeep (issue 18): change requests up the approval chain, each person's history,
the annual review (动态调整) with its public notice, and near-duplicates across households.
See ``docs/adr/0015-registry-upkeep.md``."""
