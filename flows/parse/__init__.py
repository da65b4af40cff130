"""The extractor: pure polars functions, LazyFrame in, LazyFrame out."""
