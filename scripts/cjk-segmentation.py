#!/usr/bin/env python3
"""Character bigrams against a dictionary segmenter for Chinese and Japanese search.

Kiln indexes runs of Chinese, Japanese and Korean characters as overlapping character
pairs. This script measures that choice against dictionary word segmentation (jieba for
Chinese, Janome for Japanese) on the real translated docs in ../shared/dialects:

* index size: distinct terms, (term, page) postings, and the gzip size of a plain
  serialisation of the postings (the part of an index that grows with the content);
* known-item search: every page's title as the query, pages ranked as Kiln ranks them
  (pages matching more query terms first, then BM25 with the title weighted 10 and the
  title-share bonus); success@1 and MRR@10;
* words inside running text: 300 words the dictionary segmenter itself produced (two or
  more CJK characters, on 2-30 pages), each queried alone; the pages that contain the word
  (as a substring of their text) are the answer. Recall: the share of those pages the
  query returns; precision: the share of returned pages that contain it.

Usage: python3 scripts/cjk-segmentation.py   (needs `pip install jieba janome`; prints
Markdown tables; docs/benchmarks.md holds a run).
"""
import collections
import gzip
import math
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DIALECTS = os.path.join(HERE, "..", "..", "shared", "dialects")
SETS = [
    ("fastapi", "zh", "fastapi-docs/docs/zh/docs"),
    ("fastapi", "zh-hant", "fastapi-docs/docs/zh-hant/docs"),
    ("fastapi", "ja", "fastapi-docs/docs/ja/docs"),
    ("biome", "zh-cn", "biome-website/src/content/docs/zh-CN"),
    ("biome", "ja", "biome-website/src/content/docs/ja"),
]
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+|[0-9a-z]+")
W_TITLE, K1, B, COVER = 10.0, 1.2, 0.75, 1.0


def pages(folder):
    """(title, body text) of every Markdown page: front matter, code and markup dropped."""
    out = []
    for dirpath, _, files in os.walk(folder):
        for name in sorted(files):
            if not name.endswith((".md", ".mdx")):
                continue
            text = open(os.path.join(dirpath, name), encoding="utf-8").read()
            title = None
            fm = re.match(r"^---\n(.*?)\n---\n", text, re.S)
            if fm:
                m = re.search(r"^title:\s*(.+)$", fm.group(1), re.M)
                title = m.group(1).strip().strip("'\"") if m else None
                text = text[fm.end():]
            text = re.sub(r"```.*?```", " ", text, flags=re.S)
            text = re.sub(r"^(import|export) .*$", " ", text, flags=re.M)
            text = re.sub(r"\{\s*#[^}]*\}", " ", text)
            text = re.sub(r"\]\([^)]*\)", "] ", text)
            text = re.sub(r"<[^>]+>", " ", text)
            if title is None:
                m = re.search(r"^#\s+(.+)$", text, re.M)
                title = m.group(1).strip() if m else name
            out.append((title, text))
    return out


def bigrams(text):
    toks = []
    for m in TOKEN.finditer(text.lower()):
        run = m.group(0)
        if CJK.fullmatch(run):
            toks.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
        else:
            toks.append(run)
    return toks


def dictionary(lang):
    if lang.startswith("zh"):
        import jieba

        jieba.setLogLevel(60)
        cut = lambda run: jieba.lcut_for_search(run)
    else:
        from janome.tokenizer import Tokenizer

        t = Tokenizer(wakati=True)
        cut = lambda run: list(t.tokenize(run))

    def tokens(text):
        toks = []
        for m in TOKEN.finditer(text.lower()):
            run = m.group(0)
            if CJK.fullmatch(run):
                toks.extend(w for w in cut(run) if w.strip())
            else:
                toks.append(run)
        return toks

    return tokens


class Index:
    def __init__(self, docs, tokenize):
        self.tokenize = tokenize
        self.tf, self.lens, self.titles = [], [], []
        for title, body in docs:
            t, b = tokenize(title), tokenize(body)
            tf = collections.Counter()
            for w in t:
                tf[w] += W_TITLE
            for w in b:
                tf[w] += 1
            self.tf.append(tf)
            self.lens.append(W_TITLE * len(t) + len(b))
            share = collections.Counter(t)
            self.titles.append({w: c / len(t) for w, c in share.items()} if t else {})
        self.df = collections.Counter(w for tf in self.tf for w in tf)
        self.n = len(docs)
        self.avg = sum(self.lens) / max(1, self.n)

    def size(self):
        postings = collections.defaultdict(list)
        for d, tf in enumerate(self.tf):
            for w in tf:
                postings[w].append(d)
        blob = "\n".join(w + "\t" + ",".join(map(str, ds)) for w, ds in sorted(postings.items()))
        return len(postings), sum(len(v) for v in postings.values()), len(gzip.compress(blob.encode()))

    def search(self, query):
        terms = list(dict.fromkeys(self.tokenize(query)))
        scores = collections.defaultdict(float)
        matched = collections.Counter()
        for w in terms:
            df = self.df.get(w, 0)
            if not df:
                continue
            idf = math.log(1 + (self.n - df + 0.5) / (df + 0.5))
            for d, tf in enumerate(self.tf):
                if w in tf:
                    norm = K1 * (1 - B + B * self.lens[d] / self.avg)
                    scores[d] += idf * tf[w] * (K1 + 1) / (tf[w] + norm) + COVER * idf * self.titles[d].get(w, 0)
                    matched[d] += 1
        return sorted(scores, key=lambda d: (-matched[d], -scores[d], d)), matched, len(terms)


def known_item(index, docs):
    counts = collections.Counter(t for t, _ in docs)
    at1 = rr = n = 0
    for d, (title, _) in enumerate(docs):
        if counts[title] > 1:
            continue
        n += 1
        ranked = index.search(title)[0][:10]
        if ranked and ranked[0] == d:
            at1 += 1
        if d in ranked:
            rr += 1 / (ranked.index(d) + 1)
    return at1 / max(1, n), rr / max(1, n), n


def words_in_text(index, docs, words):
    recall = precision = 0.0
    for w in words:
        truth = {d for d, (t, b) in enumerate(docs) if w in (t + " " + b).lower()}
        ranked, matched, nterms = index.search(w)
        got = {d for d in ranked if matched[d] == nterms}
        recall += len(got & truth) / len(truth)
        precision += len(got & truth) / len(got) if got else 0.0
    return recall / len(words), precision / len(words)


def main():
    random.seed(7)
    rows_size, rows_rel = [], []
    for site, lang, rel in SETS:
        folder = os.path.join(DIALECTS, rel)
        if not os.path.isdir(folder):
            print(f"skipping {site} {lang}: {folder} is absent", file=sys.stderr)
            continue
        docs = pages(folder)
        seg = dictionary(lang)
        big, dic = Index(docs, bigrams), Index(docs, seg)
        vocab = collections.Counter()
        for tf in dic.tf:
            vocab.update(w for w in tf if CJK.fullmatch(w) and len(w) >= 2)
        pool = sorted(w for w, df in vocab.items() if 2 <= df <= 30)
        words = random.sample(pool, min(300, len(pool)))
        for name, ix in (("bigrams", big), ("dictionary", dic)):
            terms, postings, gz = ix.size()
            rows_size.append(f"| {site} | {lang} | {len(docs)} | {name} | {terms:,} | {postings:,} | {gz / 1024:.1f} KB |")
            at1, mrr, n = known_item(ix, docs)
            rec, prec = words_in_text(ix, docs, words)
            rows_rel.append(f"| {site} | {lang} | {name} | {n} | {at1:.2f} | {mrr:.3f} | {len(words)} | {rec:.3f} | {prec:.3f} |")
    print("| site | language | pages | segmentation | terms | postings | postings, gzip |")
    print("|---|---|---:|---|---:|---:|---:|")
    print("\n".join(rows_size))
    print()
    print("| site | language | segmentation | title queries | success@1 | MRR@10 | word queries | recall | precision |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows_rel))


if __name__ == "__main__":
    main()
