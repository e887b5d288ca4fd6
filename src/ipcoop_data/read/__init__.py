"""Reading: dataset files into a Dataset (safe YAML with lines, only regular files inside the root), the
JSON export read back, and where the bundled files are.
"""
