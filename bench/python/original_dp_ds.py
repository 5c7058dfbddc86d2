"""The original Kedro project's data_processing + data_science algorithms, as a yardstick for
`npm run bench` (bench/cli.ts times this whole process against `dqm run` on the same pickles).

Mirrors XavierAtCERN/dqm-playground-ds's nodes: data_processing sorts each layer's DataFrame by
lumi; data_science's nodes each parse the list-literal map strings with ast.literal_eval (the
original did so in every node, "should be done in processing..."), crop the 202 x 302 map to the
inner 200 x 300 image, and compute the summary statistics (mean, std of the full map), the
geometrical properties (scipy.ndimage center_of_mass of the image), the mean image and the
images' RMSE to it (one node in the original), and the aggregated properties (merges on run, lumi), written as CSV like ours.

Usage: /usr/bin/python3 bench/python/original_dp_ds.py OUT_DIR PICKLE [PICKLE ...]
"""
import ast
import os
import sys

import numpy as np
import pandas as pd
import scipy.ndimage


def preprocess_pixel_layer(raw: pd.DataFrame) -> pd.DataFrame:
    return raw.sort_values(by=["lumi"]).copy()


def parse_maps(data: pd.DataFrame) -> pd.DataFrame:
    data = data.copy()
    data["map"] = data["map"].apply(ast.literal_eval)
    return data


def crop(full) -> np.ndarray:
    return np.reshape(full, (202, 302))[1:201, 1:301]


def compute_summary_statistics(data: pd.DataFrame) -> pd.DataFrame:
    data = parse_maps(data)
    data["entries"] = data["map"].apply(lambda x: np.array(x).sum())
    data["mean"] = data["map"].apply(lambda x: np.array(x).mean())
    data["std"] = data["map"].apply(lambda x: np.array(x).std())
    return data[["run", "lumi", "entries", "mean", "std"]].copy()


def compute_geometrical_properties(data: pd.DataFrame) -> pd.DataFrame:
    data = parse_maps(data)
    data["image"] = data["map"].apply(crop)
    data["center_phi"] = data["image"].apply(lambda x: scipy.ndimage.center_of_mass(x)[0])
    data["center_z"] = data["image"].apply(lambda x: scipy.ndimage.center_of_mass(x)[1])
    return data[["run", "lumi", "center_phi", "center_z"]].copy()


def compute_rmse(data: pd.DataFrame) -> pd.DataFrame:
    """The original's compute_rmse: the mean image and each LS's distance to it (one parse)."""
    data = parse_maps(data)
    tensor = np.array(data["map"].apply(crop).tolist())
    mean_image = tensor.mean(axis=0).astype(np.float32)
    diff = np.subtract(tensor, mean_image)
    data["rmse"] = np.sqrt(np.mean(diff**2, axis=(1, 2)))
    # The original's "rmse": the absolute mean difference (sqrt of a squared mean).
    data["mean_diff"] = np.sqrt(np.mean(diff, axis=(1, 2)) ** 2)
    return data[["run", "lumi", "rmse", "mean_diff"]].copy()


def aggregate_properties(summary, geometry, rmse) -> pd.DataFrame:
    return summary.merge(geometry, on=["run", "lumi"]).merge(rmse, on=["run", "lumi"])


def main() -> None:
    out_dir, pickles = sys.argv[1], sys.argv[2:]
    os.makedirs(out_dir, exist_ok=True)
    for i, file in enumerate(pickles, start=1):
        data = preprocess_pixel_layer(pd.read_pickle(file))
        aggregated = aggregate_properties(compute_summary_statistics(data), compute_geometrical_properties(data), compute_rmse(data))
        aggregated.to_csv(os.path.join(out_dir, f"layer_{i}_aggregated_properties.csv"), index=False)
        print(f"layer {i}: {len(aggregated)} LS")


if __name__ == "__main__":
    main()
