#!/usr/bin/env python3
"""A khabar config for a genfeeds corpus, printed to standard output: a [fetch]
table, then every feed of the corpus's `urls` file (newsboat's format: a URL,
then its tags) as a [[feed]] with its tags. Shared by the scripts in bench/.

Usage: khabar_config.py URLS [--prefix P] [--limit N] [--no-tags]
                             [--concurrency C] [--per-host H]
  --prefix P   the feeds as P + the URL from its "/feeds/" on
               (file://CORPUS reads the corpus from disk, no server)
  --limit N    only the first N feeds
  --no-tags    the URLs alone
"""
import argparse
import shlex

parser = argparse.ArgumentParser()
parser.add_argument("urls")
parser.add_argument("--prefix", default="")
parser.add_argument("--limit", type=int)
parser.add_argument("--no-tags", action="store_true")
parser.add_argument("--concurrency", type=int, default=16)
parser.add_argument("--per-host", type=int, default=8)
args = parser.parse_args()

print("[fetch]\nconcurrency = %d\nper_host = %d\n" % (args.concurrency, args.per_host))
feeds = [shlex.split(line) for line in open(args.urls, encoding="utf-8")]
feeds = [words for words in feeds if words][: args.limit]
for words in feeds:
    url = words[0]
    if args.prefix:
        url = args.prefix + url[url.index("/feeds/"):]
    if args.no_tags:
        print('[[feed]]\nurl = "%s"\n' % url)
    else:
        tags = ", ".join('"%s"' % t for t in words[1:])
        print('[[feed]]\nurl = "%s"\ntags = [%s]\n' % (url, tags))
