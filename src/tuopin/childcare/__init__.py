"""Early childhood centres (养育未来): siting from the registry, and running the centres."""
