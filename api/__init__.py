"""HTTP face of congdoan (FastAPI) and the root command line."""
