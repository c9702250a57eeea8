"""The knowledge base in the app: articles and their history, feedback, synonyms, the search index."""
