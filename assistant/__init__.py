"""congdoan core: configuration, legal domain, retrieval, answering and the central database."""
