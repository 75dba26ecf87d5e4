#!/usr/bin/env python3
"""A PubTator3 API client, written the way published PubTator3 clients call the API.

It speaks PubTator3's request shapes only (``search/?text=&page=``,
``entity/autocomplete/?query=&concept=&limit=``,
``publications/export/{format}?pmids=``, ``relations?e1=&type=&e2=``), so it runs
unchanged against PubTator3 itself or against ``ptsearch serve``'s compatible
endpoints: only the base URL differs.

  scripts/pubtator3-client.py --base-url http://127.0.0.1:8080/pubtator3-api search '@GENE_BRAF'
  scripts/pubtator3-client.py --base-url ... export --format biocxml 1001 1002
  scripts/pubtator3-client.py --base-url ... autocomplete braf --concept gene
  scripts/pubtator3-client.py --base-url ... relations @GENE_673 --type associate --e2 disease

``search`` prints every PMID of the query in rank order, one per line (it walks the
pages like a client of PubTator3's 10-hit pages must). Python 3 standard library only.
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

DEFAULT_BASE_URL = "https://www.ncbi.nlm.nih.gov/research/pubtator3-api"


class PubTator3:
    """A minimal PubTator3 client with PubTator3's rate limit and retries on 429/5xx."""

    def __init__(self, base_url=DEFAULT_BASE_URL, requests_per_second=3.0, timeout=60.0):
        self.base_url = base_url.rstrip("/")
        self.interval = 1.0 / requests_per_second if requests_per_second > 0 else 0.0
        self.timeout = timeout
        self.last = 0.0

    def _get(self, path, params, retries=3):
        url = f"{self.base_url}/{path}"
        if params:
            url += "?" + urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        for attempt in range(retries):
            wait = self.last + self.interval - time.time()
            if wait > 0:
                time.sleep(wait)
            self.last = time.time()
            try:
                with urllib.request.urlopen(url, timeout=self.timeout) as r:
                    return r.read()
            except urllib.error.HTTPError as e:
                if (e.code == 429 or e.code >= 500) and attempt < retries - 1:
                    time.sleep(int(e.headers.get("Retry-After", "1") or 1))
                    continue
                body = e.read().decode("utf-8", "replace")
                raise SystemExit(f"pubtator3-client: {url}: HTTP {e.code}: {body}")
        raise SystemExit(f"pubtator3-client: {url}: failed after {retries} attempts")

    def search(self, text, max_ret=None):
        """Every result of a query, page by page (PubTator3 answers 10 per page)."""
        first = json.loads(self._get("search/", {"text": text}))
        results = list(first["results"])
        for page in range(2, first["total_pages"] + 1):
            if max_ret is not None and len(results) >= max_ret:
                break
            page_json = json.loads(self._get("search/", {"text": text, "page": page}))
            results.extend(page_json["results"])
        return results[:max_ret] if max_ret is not None else results

    def export(self, pmids, fmt="biocxml", full=False):
        """Annotated publications, in batches of 100 PMIDs as PubTator3 asks."""
        out = []
        for i in range(0, len(pmids), 100):
            params = {"pmids": ",".join(str(p) for p in pmids[i:i + 100])}
            if full:
                params["full"] = "true"
            out.append(self._get(f"publications/export/{fmt}", params).decode("utf-8"))
        return out

    def autocomplete(self, query, concept=None, limit=None):
        return json.loads(self._get("entity/autocomplete/",
                                    {"query": query, "concept": concept, "limit": limit}))

    def relations(self, e1, rel_type=None, e2=None):
        return json.loads(self._get("relations", {"e1": e1, "type": rel_type, "e2": e2}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base-url", default=DEFAULT_BASE_URL,
                    help="PubTator3 API root (default: PubTator3's own)")
    ap.add_argument("--rate", type=float, default=0.0,
                    help="requests per second (PubTator3 asks for at most 3; 0 = no limit)")
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("search", help="print every PMID of a query, in rank order")
    s.add_argument("text")
    s.add_argument("--max", type=int, default=None)
    e = sub.add_parser("export", help="print the annotated documents of PMIDs")
    e.add_argument("pmids", nargs="+")
    e.add_argument("--format", default="biocxml", choices=["pubtator", "biocxml", "biocjson"])
    e.add_argument("--full", action="store_true")
    a = sub.add_parser("autocomplete", help="print entity suggestions as JSON")
    a.add_argument("query")
    a.add_argument("--concept")
    a.add_argument("--limit", type=int)
    r = sub.add_parser("relations", help="print the relation partners of an entity as JSON")
    r.add_argument("e1")
    r.add_argument("--type")
    r.add_argument("--e2")
    args = ap.parse_args()

    client = PubTator3(args.base_url, requests_per_second=args.rate)
    if args.command == "search":
        for result in client.search(args.text, args.max):
            print(result.get("pmid") or result["_id"])
    elif args.command == "export":
        for chunk in client.export(args.pmids, args.format, args.full):
            sys.stdout.write(chunk)
    elif args.command == "autocomplete":
        print(json.dumps(client.autocomplete(args.query, args.concept, args.limit), indent=1))
    else:
        print(json.dumps(client.relations(args.e1, args.type, args.e2), indent=1))


if __name__ == "__main__":
    main()
