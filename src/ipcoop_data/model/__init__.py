"""The data model: records (pydantic), partial dates, country codes, where a record came from, and the Dataset.

Nothing here reads files or checks anything; everything else builds on it.
"""
