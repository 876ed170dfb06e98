#!/usr/bin/env python3
"""A local OSV for benchmarks: serves the records of a folder of OSV JSON
(or YAML, as the PyPI advisory database writes them) files in the API's shapes. `POST /v1/querybatch` lists, for each package
URL, every record naming its package; `GET /v1/vulns/ID` answers the record.
    bench/osv_stub.py FOLDER PORT
"""
import json, os, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

folder, port = sys.argv[1], int(sys.argv[2])
records, by_name = {}, {}
for name in os.listdir(folder):
    if name.endswith((".json", ".yaml")):
        text = open(os.path.join(folder, name)).read()
        if name.endswith(".yaml"):
            import yaml
            # YAML reads unquoted times as datetimes: back to RFC 3339.
            stamp = lambda t: t.isoformat().replace("+00:00", "Z")
            text = json.dumps(yaml.safe_load(text), default=stamp)
            doc = json.loads(text)
        else:
            doc = json.loads(text)
        records[doc["id"]] = text
        for a in doc.get("affected", []):
            by_name.setdefault(a["package"]["name"], set()).add((doc["id"], doc.get("modified", "")))

def package_name(purl):
    rest = purl.split("/", 1)[1] if "/" in purl else purl
    rest = rest.replace("%40", "@")
    return rest.rsplit("@", 1)[0] if rest.count("@") > (1 if rest.startswith("@") else 0) else rest

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        doc = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        results = []
        for q in doc["queries"]:
            found = sorted(by_name.get(package_name(q["package"]["purl"]), ()))
            results.append({"vulns": [{"id": i, "modified": m} for i, m in found]} if found else {})
        self.answer(200, json.dumps({"results": results}))

    def do_GET(self):
        text = records.get(self.path.rsplit("/", 1)[-1])
        self.answer(200 if text else 404, text or "{}")

ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
