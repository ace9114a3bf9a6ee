#!/usr/bin/env python3
"""xapi-mock.py: a loopback mock of the X API v2 Spaces and users endpoints.

    xapi-mock.py SCENARIO PORTFILE LOGFILE [LIFETIME]

Listens on 127.0.0.1 on a free port, writes the port to PORTFILE, logs
one line per request to LOGFILE ("METHOD PATH?QUERY AUTH"), and exits by
itself after LIFETIME seconds (default 60) whatever happens.  The bodies
are the documented ones (reference §2.3-2.6).  TOKEN is an app-only
bearer token; USER_TOKENS maps user-context tokens to their users.
GET /2/users/me answers with the token's user, or for the app token
with the 403 unsupported-authentication that public issue threads show.
Scenarios:

  ok          the fixtures below; unknown ids are partial errors in a 200
  unauthorized  401 with the about:blank Problem body
  forbidden   403 client-forbidden (a product without access)
  usagecap    429 usage-capped (waiting does not lift it)
  ratelimit   429 {"errors":[{"code":88,...}]} once, reset 2s ahead, then ok
  toomany     429 about:blank Problem once, Retry-After: 2, then ok
  exhausted   ok, but x-rate-limit-remaining 0 and reset 2s ahead
  error500    500 once, then ok
  error503    503 always
  truncated   a body shorter than its Content-Length once, then ok
  slow        headers and a few bytes, then nothing for 30s
  invalid     400 invalid-request
  notjson     200 with a body that is not JSON
  big         200 with a 20 MB body
  slowok      ok after a 1 s pause (for parallel transfers)
"""
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from loopback import serve  # noqa: E402

TOKEN = "test-token-s3cr3t"
# A wrapper may add tokens: the dict is shared, unlike a rebound name.
USER_TOKENS = {"test-user-token-s3cr3t": "2244994945"}
PROB = "https://api.x.com/2/problems/"

USERS = {
    "2244994945": {"id": "2244994945", "name": "Twitter Dev",
                   "username": "TwitterDev", "location": "127.0.0.1",
                   "created_at": "2013-12-14T04:35:55.000Z",
                   "public_metrics": {"followers_count": 507902,
                                      "following_count": 1863,
                                      "tweet_count": 3561,
                                      "listed_count": 1550}},
    "6253282": {"id": "6253282", "name": "Twitter API",
                "username": "TwitterAPI", "location": "San Francisco, CA",
                "created_at": "2007-05-23T06:01:13.000Z",
                "public_metrics": {"followers_count": 6210,
                                   "following_count": 12,
                                   "post_count": 40, "listed_count": 3}},
    "1000": {"id": "1000", "name": "Ana", "username": "ana_pt",
             "location": "Porto, Portugal",
             "public_metrics": {"followers_count": 4210,
                                "following_count": 300,
                                "tweet_count": 10, "listed_count": 0}},
}

SPACES = {
    "1zqKVXPQhvZJB": {
        "id": "1zqKVXPQhvZJB", "state": "live",
        "created_at": "2021-07-04T23:12:08.000Z",
        "creator_id": "2244994945",
        "host_ids": ["2244994945", "6253282"], "lang": "en",
        "is_ticketed": False,
        "invited_user_ids": ["2244994945", "6253282"],
        "participant_count": 420,
        "scheduled_start": "2021-07-14T08:00:00.000Z",
        "speaker_ids": ["2244994945", "6253282"],
        "started_at": "2021-07-14T08:00:12.000Z",
        "title": "Say hello to the Space data object!",
        "updated_at": "2021-07-11T14:44:44.000Z",
        "topic_ids": ["848920371311001600"]},
    "1ypKdEXvkMLGW": {
        "id": "1ypKdEXvkMLGW", "state": "scheduled",
        "created_at": "2026-01-04T23:12:08.000Z", "creator_id": "6253282",
        "host_ids": ["6253282"], "lang": "en", "is_ticketed": False,
        "scheduled_start": "2026-02-14T08:00:00.000Z",
        "subscriber_count": 12, "title": "Office hours"},
}
# 150 more, for batching: B000..B149, hosted by Ana.
for i in range(150):
    sid = "B%012d" % i
    SPACES[sid] = {"id": sid, "state": "scheduled", "creator_id": "1000",
                   "host_ids": ["1000"], "title": "Batch %d" % i,
                   "scheduled_start": "2026-03-01T10:00:00.000Z"}

TOPICS = {"848920371311001600": {"id": "848920371311001600",
                                 "name": "Technology",
                                 "description": "All about technology"}}

BODIES = {
    "unauthorized": (401, {"title": "Unauthorized", "type": "about:blank",
                           "status": 401, "detail": "Unauthorized"}),
    "forbidden": (403, {
        "client_id": "12345678",
        "detail": "When authenticating requests to the Twitter API v2 "
                  "endpoints, you must use keys and tokens from a Twitter "
                  "developer App that is attached to a Project.",
        "registration_url": "https://developer.twitter.com/en/docs/projects/overview",
        "title": "Client Forbidden",
        "required_enrollment": "Appropriate Level of API Access",
        "reason": "client-not-enrolled",
        "type": "https://api.twitter.com/2/problems/client-forbidden"}),
    "usagecap": (429, {"title": "UsageCapExceeded",
                       "detail": "Usage cap exceeded: Monthly product cap",
                       "type": "https://api.twitter.com/2/problems/usage-capped",
                       "period": "Monthly", "scope": "Product"}),
    "invalid": (400, {"title": "Invalid Request",
                      "detail": "The 'query' parameter is required.",
                      "type": PROB + "invalid-request"}),
    "error503": (503, {"title": "Service Unavailable",
                       "detail": "Service Unavailable",
                       "type": "about:blank", "status": 503}),
}

# /2/users/me with the app token (not in the reference; public issue
# threads all show this body).
APP_ONLY = (403, {
    "title": "Unsupported Authentication",
    "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden "
              "for this endpoint.  Supported authentication types are "
              "[OAuth 1.0a User Context, OAuth 2.0 User Context].",
    "type": "https://api.twitter.com/2/problems/unsupported-authentication",
    "status": 403})

scenario = sys.argv[1]
logf = open(sys.argv[3], "a", buffering=1)
hits = {"n": 0}
lock = threading.Lock()


def not_found(kind, value, param):
    return {"value": value, "detail": "Could not find %s with %s: [%s]."
            % (kind, param, value), "title": "Not Found Error",
            "resource_type": kind, "parameter": param,
            "resource_id": value, "type": PROB + "resource-not-found"}


def includes(spaces):
    users, topics = {}, {}
    for s in spaces:
        for k in ("creator_id",):
            if k in s:
                users[s[k]] = 1
        for k in ("host_ids", "speaker_ids", "invited_user_ids"):
            for u in s.get(k, []):
                users[u] = 1
        for t in s.get("topic_ids", []):
            topics[t] = 1
    inc = {}
    if users:
        inc["users"] = [{"id": u, "name": USERS[u]["name"],
                         "username": USERS[u]["username"]}
                        for u in users if u in USERS]
    if topics:
        inc["topics"] = [TOPICS[t] for t in topics if t in TOPICS]
    return inc


def answer(path, q, token):
    """The ok scenario: (status, body)."""
    ids = q.get("ids", [""])[0].split(",") if "ids" in q else []
    if path == "/2/users/me":
        if token not in USER_TOKENS:
            return APP_ONLY
        return 200, {"data": USERS[USER_TOKENS[token]]}
    if path == "/2/spaces":
        if not ids or len(ids) > 100:
            return 400, BODIES["invalid"][1]
        data = [SPACES[i] for i in ids if i in SPACES]
        errs = [not_found("space", i, "ids") for i in ids if i not in SPACES]
    elif path == "/2/spaces/by/creator_ids":
        uids = q.get("user_ids", [""])[0].split(",")
        if len(uids) > 100:
            return 400, BODIES["invalid"][1]
        data = [s for s in SPACES.values() if s.get("creator_id") in uids]
        errs = []
        body = {"meta": {"result_count": len(data)}}
        if data:
            body["data"] = data
            body["includes"] = includes(data)
        return 200, body
    elif path == "/2/spaces/search":
        query = q.get("query", [""])[0]
        state = q.get("state", ["all"])[0]
        data = [s for s in SPACES.values()
                if query.lower() in s.get("title", "").lower()
                and (state == "all" or s["state"] == state)]
        body = {"meta": {"result_count": len(data)}}
        if data:
            body["data"] = data[:100]
            body["includes"] = includes(data[:100])
        return 200, body
    elif path == "/2/users":
        data = [USERS[i] for i in ids if i in USERS]
        errs = [not_found("user", i, "ids") for i in ids if i not in USERS]
        body = {}
        if data:
            body["data"] = data
        if errs:
            body["errors"] = errs
        return 200, body
    elif path.startswith("/2/users/by/username/") or path == "/2/users/by":
        if path == "/2/users/by":
            names = q.get("usernames", [""])[0].split(",")
        else:
            names = [urllib.parse.unquote(path.rsplit("/", 1)[1])]
        byname = {u["username"].lower(): u for u in USERS.values()}
        data = [byname[n.lower()] for n in names if n.lower() in byname]
        errs = [not_found("user", n, "username") for n in names
                if n.lower() not in byname]
        body = {}
        if path == "/2/users/by":
            if data:
                body["data"] = data
        elif data:
            body["data"] = data[0]
        if errs:
            body["errors"] = errs
        return 200, body
    else:
        return 404, {"title": "Not Found", "type": "about:blank",
                     "status": 404, "detail": "Not Found"}
    body = {}
    if data:
        body["data"] = data
        body["includes"] = includes(data)
    if errs:
        body["errors"] = errs
    return 200, body


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, status, body, headers=(), raw=None):
        data = raw if raw is not None else json.dumps(body).encode()
        self.send_response(status)
        ctype = "application/json"
        if isinstance(body, dict) and "type" in body and status >= 400:
            ctype = "application/problem+json"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        auth = self.headers.get("Authorization", "")
        cookie = self.headers.get("Cookie", "")
        with lock:
            hits["n"] += 1
            n = hits["n"]
        logf.write("GET %s %s%s\n" % (self.path, auth,
                   " cookie=" + cookie if cookie else ""))
        reset = str(int(time.time()) + 2)
        rl = [("x-rate-limit-limit", "300"),
              ("x-rate-limit-remaining", "299"),
              ("x-rate-limit-reset", reset)]
        token = auth[7:] if auth.startswith("Bearer ") else ""
        if token != TOKEN and token not in USER_TOKENS:
            return self.send(401, BODIES["unauthorized"][1])
        if scenario in BODIES:
            st, body = BODIES[scenario]
            hdrs = rl if st != 429 else [
                ("x-rate-limit-limit", "300"),
                ("x-rate-limit-remaining", "0"),
                ("x-rate-limit-reset", str(int(time.time()) + 86400 * 20))]
            return self.send(st, body, hdrs)
        if scenario == "ratelimit" and n == 1:
            return self.send(429, {"errors": [{"code": 88,
                             "message": "Rate limit exceeded"}]},
                             [("x-rate-limit-limit", "300"),
                              ("x-rate-limit-remaining", "0"),
                              ("x-rate-limit-reset", reset)])
        if scenario == "toomany" and n == 1:
            return self.send(429, {"title": "Too Many Requests",
                                   "detail": "Too Many Requests",
                                   "type": "about:blank", "status": 429},
                             [("Retry-After", "2")])
        if scenario == "error500" and n == 1:
            return self.send(500, {"title": "Internal Server Error",
                                   "detail": "Internal Server Error",
                                   "type": PROB + "internal-error"})
        if scenario == "truncated" and n == 1:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"data":[{"id":"1zqKVXPQhvZJB",')
            self.wfile.flush()
            self.close_connection = True
            return
        if scenario == "slow":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"data":')
            self.wfile.flush()
            time.sleep(30)
            self.close_connection = True
            return
        if scenario == "notjson":
            return self.send(200, None, rl, raw=b"<html>gateway</html>")
        if scenario == "big":
            return self.send(200, None, rl,
                             raw=b'{"data":[' + b" " * (20 << 20) + b"]}")
        if scenario == "slowok":
            time.sleep(1)
        if scenario == "exhausted":
            rl = [("x-rate-limit-limit", "300"),
                  ("x-rate-limit-remaining", "0"),
                  ("x-rate-limit-reset", reset)]
        st, body = answer(u.path, q, token)
        return self.send(st, body, rl)


def main():
    lifetime = float(sys.argv[4]) if len(sys.argv) > 4 else 60
    # Bounded: the server ends by itself even if nobody stops it.
    serve(H, sys.argv[2], lifetime)


if __name__ == "__main__":
    main()
