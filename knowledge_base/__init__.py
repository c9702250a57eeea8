"""Knowledge base and NLP library (spaCy, jieba, OpenCC); arrives with issue #5.

A pure library: no web framework, no database sessions, none of our other packages.
"""
