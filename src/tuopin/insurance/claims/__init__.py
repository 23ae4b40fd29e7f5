"""Claims (理赔): filed from phone photos, recognised in the background, checked against the
key claim factors (关键核赔因子), decided by an adjuster and paid through ``record_payout``."""
