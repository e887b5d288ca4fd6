"""What is derived from a Dataset: figures as intervals, comparisons of figures in time, discrepancies,
numbers as printed, pandas views and counts. Checks and exporters ask here rather than recompute.
"""
