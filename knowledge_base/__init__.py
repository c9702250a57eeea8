"""Knowledge base and NLP library (spaCy, jieba, OpenCC); arrives with issue #5.

A pure library: no web framework, no database sessions, none of our other packages.

Retrieval: `normalize` (one written form for both scripts), `pipelines` (offline spaCy zh/en, the
mixed-text tokeniser), `synonyms` (domain synonym groups, extensible by admins) and `index`
(`ArticleIndex`: search, filters, snippets, feedback, incremental updates).
"""
