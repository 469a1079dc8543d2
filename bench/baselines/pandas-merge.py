"""Baseline for the flat reconcile benchmark (issue 15): what an accountant's pandas script does.

read_csv x2 + an outer merge with indicator=True on the refund id; prints the counts of
storefront-only, NetSuite-only and changed-total rows so the benchmark can check it did the work.
"""
import sys

import pandas as pd

sf = pd.read_csv(sys.argv[1])
ns = pd.read_csv(sys.argv[2])
merged = sf.merge(ns, on="refund_id", how="outer", indicator=True, suffixes=("_sf", "_ns"))
both = merged["_merge"] == "both"
changed = both & (merged["total_sf"] != merged["total_ns"])
counts = merged["_merge"].value_counts()
print(
    f'{{"left_only": {int(counts.get("left_only", 0))}, "right_only": {int(counts.get("right_only", 0))},'
    f' "both": {int(counts.get("both", 0))}, "changed": {int(changed.sum())}}}'
)
