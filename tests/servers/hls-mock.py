#!/usr/bin/env python3
"""hls-mock.py: a loopback HLS server for audio Spaces (reference §3).

    hls-mock.py SCENARIO PORTFILE LOGFILE [LIFETIME]

Listens on 127.0.0.1 on a free port, writes the port to PORTFILE, logs
one line per request to LOGFILE ("GET PATH?QUERY"), and exits by itself
after LIFETIME seconds (default 60).  Beside PORTFILE it writes
expect.aac (every chunk's ADTS frames in sequence order: what a
recorder must capture) and expect.frames (their count).

Seven chunks of 20 frames from tests/data/aac/speech-3s.aac, each an
HLS packed-audio chunk: the 73-byte ID3 PRIV transportStreamTimestamp
tag, then the frames; 20 junk bytes precede chunks 1 and 5; chunk 3
carries a Hydra ID3 tag (TIT3, TXXX JSONMetadata) between frames 10 and
11.  Under /audio-space/:

  playlist_1.m3u8           the replay (ENDLIST), relative chunk names
  master_playlist.m3u8      a master whose variant is the replay, as an
                            absolute path
  dynamic_playlist.m3u8     the live playlist: a window of 3 chunks that
                            advances every 0.5 s from the first request;
                            404 once chunk 5 would appear (the end)
  chunk_<ns>_<seq>_a.aac    the chunks (?type=live ones too)

Scenarios:
  ok        all of it, no faults
  faults    chunk 2 truncated (short of its Content-Length) once, chunk 4
            404 twice, then both fine
  gap       chunk 3 is 404 always
  slow      every chunk takes 0.4 s
  live      chunk 3 is 404 live (present in the replay); the replay
            playlist is 404 at first, then short (chunks 0-3), then whole
  burst     chunks 1 and 2 are 403 once, chunk 4 is 429 twice
            (Retry-After: 0), then all fine
  forbidden every playlist is 403
  long      (for bench/record.sh) the replay playlist lists 3600 chunks
            of 3 s each (every one all of speech-3s.aac): 3 hours
  endless   the live playlist never ends: its window stops at the last
            chunk and stays there

In every scenario it also serves the two web endpoints of reference
§3.2-3.3, which answer only with the cookies auth_token and ct0=CT0 and
the header x-csrf-token: CT0 (else 403 and a JSON error):

  /i/api/graphql/<queryId>/AudioSpaceById?variables={"id":...}&features=
      1ypKdEXvkMLGW  Ended, replayable, media_key 28_100 (its status is
                     the replay playlist_1.m3u8?type=replay); creator
                     names under core, times as numbers and strings
      1LiveSpace001  Running, media_key 28_200 (its status is the live
                     dynamic playlist, wrapped in authorized_status?url=);
                     creator names under legacy
      1Scheduled001  NotStarted for the first two requests, then Running
                     like 1LiveSpace001
      1NoReplay0001  Ended, not replayable (no media_key)
      1Canceled0001  Canceled
      any other      {"data":{"audioSpace":{}}} (no such Space)
  /i/api/1.1/live_video_stream/status/<media_key>
"""
import json
import os
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
NCHUNKS = 7
PER = 20
STEP = 0.5
LIVE_END = 5
NS0 = 1720192654637762497


def adts_frames(data):
    out, i = [], 0
    while i + 7 <= len(data):
        if data[i] != 0xFF or (data[i + 1] & 0xF6) != 0xF0:
            raise ValueError("not ADTS at %d" % i)
        n = ((data[i + 3] & 3) << 11) | (data[i + 4] << 3) | (data[i + 5] >> 5)
        out.append(data[i:i + n])
        i += n
    return out


def syncsafe(n):
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F,
                  n & 0x7F])


def id3(frames):
    body = b"".join(frames)
    return b"ID3\x04\x00\x00" + syncsafe(len(body)) + body


def id3_frame(fid, payload):
    return fid + syncsafe(len(payload)) + b"\x00\x00" + payload


def priv(pts):
    return id3([id3_frame(b"PRIV", b"com.apple.streaming."
                          b"transportStreamTimestamp\x00" +
                          struct.pack(">Q", pts))])


def hydra():
    return id3([id3_frame(b"TIT3", b"\x03" + b"3856965984.391"),
                id3_frame(b"TXXX", b"\x03JSONMetadata\x00"
                          b'{"HydraVersion":4,"ntp":3856965984.391}')])


with open(os.path.join(TOP, "tests/data/aac/speech-3s.aac"), "rb") as f:
    FRAMES = adts_frames(f.read())
CHUNKS, NAMES = [], []
for c in range(NCHUNKS):
    fr = FRAMES[c * PER:(c + 1) * PER]
    b = priv(0x1C9DDE382 + c * PER * 1920)
    if c in (1, 5):
        b = b"\x00junk-before-id3\xffx\x00" + b
    if c == 3:
        b += b"".join(fr[:10]) + hydra() + b"".join(fr[10:])
    else:
        b += b"".join(fr)
    CHUNKS.append(b)
    NAMES.append("chunk_%d_%d_a.aac" % (NS0 + c * 426666666, c))

lock = threading.Lock()
counts = {}
state = {"live0": None, "replay": 0, "sched": 0}
CT0 = "CT0"
SPACES = {
    "1ypKdEXvkMLGW": {"rest_id": "1ypKdEXvkMLGW", "state": "Ended",
                      "title": "Mock / Space", "media_key": "28_100",
                      "created_at": 1720192000000,
                      "started_at": 1720192654637,
                      "ended_at": "1720196254637",
                      "is_space_available_for_replay": True,
                      "creator_results": {"result": {
                          "rest_id": "2244994945",
                          "core": {"name": "Host Name",
                                   "screen_name": "host"}}}},
    "1LiveSpace001": {"rest_id": "1LiveSpace001", "state": "Running",
                      "title": "Live one", "media_key": "28_200",
                      "started_at": "1720192654637",
                      "creator_results": {"result": {
                          "rest_id": "6253282",
                          "legacy": {"name": "Live Host",
                                     "screen_name": "livehost"}}}},
    "1NoReplay0001": {"rest_id": "1NoReplay0001", "state": "Ended",
                      "is_space_available_for_replay": False},
    "1Canceled0001": {"rest_id": "1Canceled0001", "state": "Canceled"},
}


LONG_N = 3600
LONG_BODY = priv(0x1C9DDE382) + b"".join(FRAMES)


def long_playlist():
    out = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-TARGETDURATION:4",
           "#EXT-X-MEDIA-SEQUENCE:0"]
    for s in range(LONG_N):
        out.append("#EXTINF:%.3f," % (len(FRAMES) * 1024 / 48000))
        out.append("chunk_%d_%d_a.aac" % (NS0 + s * 3000000000, s))
    out.append("#EXT-X-ENDLIST")
    return ("\n".join(out) + "\n").encode()


def playlist(seqs, live, end):
    out = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-TARGETDURATION:1",
           "#EXT-X-INDEPENDENT-SEGMENTS",
           "#EXT-X-MEDIA-SEQUENCE:%d" % (seqs[0] if seqs else 0),
           "#EXT-X-DISCONTINUITY-SEQUENCE:0"]
    for s in seqs:
        out.append("#EXT-X-PROGRAM-DATE-TIME:2024-07-05T15:17:%06.3fZ"
                   % (10 + s * 0.427))
        out.append("#EXTINF:0.427,")
        out.append(NAMES[s] + ("?type=live" if live else ""))
    if end:
        out.append("#EXT-X-ENDLIST")
    return ("\n".join(out) + "\n").encode()


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without TCP_NODELAY each
    # kept-alive response waits for a delayed ACK (40 ms).
    disable_nagle_algorithm = True

    def log_message(self, *a):
        pass

    def send(self, status, body, ctype="application/octet-stream"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        with lock:
            with open(LOG, "a") as f:
                f.write("GET %s\n" % self.path)
            counts[u.path] = counts.get(u.path, 0) + 1
            n = counts[u.path]
        name = u.path.rsplit("/", 1)[-1]
        m3u = "application/vnd.apple.mpegurl"
        if u.path.startswith("/i/api/"):
            return self.web(u, q)
        if SC == "long":
            if u.path == "/audio-space/playlist_1.m3u8":
                return self.send(200, long_playlist(), m3u)
            if name.startswith("chunk_") and name.endswith("_a.aac"):
                return self.send(200, LONG_BODY, "audio/aac")
            return self.send(404, b"no such thing")
        if SC == "forbidden" and u.path.endswith(".m3u8"):
            return self.send(403, b"forbidden")
        if u.path == "/audio-space/playlist_1.m3u8":
            if SC == "live":
                with lock:
                    state["replay"] += 1
                    k = state["replay"]
                if k == 1:
                    return self.send(404, b"not yet")
                if k == 2:
                    return self.send(200, playlist(range(4), False, True),
                                     m3u)
            return self.send(200, playlist(range(NCHUNKS), False, True), m3u)
        if u.path == "/audio-space/master_playlist.m3u8":
            return self.send(200, b"#EXTM3U\n#EXT-X-VERSION:3\n"
                             b"#EXT-X-STREAM-INF:BANDWIDTH=96000,"
                             b'CODECS="mp4a.40.2"\n'
                             b"/audio-space/playlist_1.m3u8\n", m3u)
        if u.path == "/audio-space/dynamic_playlist.m3u8":
            with lock:
                if state["live0"] is None:
                    state["live0"] = time.time()
                t = time.time() - state["live0"]
            k = 3 + int(t / STEP)
            if SC == "endless":
                k = min(k, NCHUNKS)
            elif k > LIVE_END:
                return self.send(404, b"ended")
            return self.send(200, playlist(range(max(0, k - 3), k), True,
                                           False), m3u)
        if name in NAMES:
            c = NAMES.index(name)
            live = q.get("type") == ["live"]
            if SC == "slow":
                time.sleep(0.4)
            if SC == "burst" and c in (1, 2) and n == 1:
                return self.send(403, b"forbidden")
            if SC == "burst" and c == 4 and n <= 2:
                self.send_response(429)
                self.send_header("Retry-After", "0")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if SC == "gap" and c == 3:
                return self.send(404, b"gone")
            if SC == "live" and live and c == 3:
                return self.send(404, b"gone")
            if SC == "faults" and c == 4 and n <= 2:
                return self.send(404, b"not yet")
            if SC == "faults" and c == 2 and n == 1:
                self.send_response(200)
                self.send_header("Content-Length", str(len(CHUNKS[c])))
                self.end_headers()
                self.wfile.write(CHUNKS[c][:len(CHUNKS[c]) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            return self.send(200, CHUNKS[c], "audio/aac")
        return self.send(404, b"no such thing")


    def authed(self):
        jar = {}
        for part in (self.headers.get("Cookie") or "").split(";"):
            k, _, v = part.strip().partition("=")
            jar[k] = v
        return ("auth_token" in jar and jar.get("ct0") == CT0 and
                self.headers.get("x-csrf-token") == CT0)

    def web(self, u, q):
        js = "application/json"
        if not self.authed():
            return self.send(403, json.dumps({"errors": [
                {"code": 32, "message": "Could not authenticate you."}]})
                .encode(), js)
        if u.path.endswith("/AudioSpaceById"):
            try:
                sid = json.loads(q["variables"][0])["id"]
                json.loads(q["features"][0])
            except (KeyError, ValueError, TypeError):
                return self.send(400, b'{"errors":[{"message":"bad"}]}', js)
            if sid == "1Scheduled001":
                with lock:
                    state["sched"] += 1
                    k = state["sched"]
                if k <= 2:
                    md = {"rest_id": sid, "state": "NotStarted",
                          "scheduled_start": 1720192654637,
                          "title": "Soon"}
                else:
                    md = dict(SPACES["1LiveSpace001"], rest_id=sid,
                              title="Soon")
            elif sid in SPACES:
                md = SPACES[sid]
            else:
                return self.send(200, b'{"data":{"audioSpace":{}}}', js)
            return self.send(200, json.dumps({"data": {"audioSpace": {
                "metadata": md, "participants": {"total": 0}}}}).encode(),
                js)
        base = "http://127.0.0.1:%d/audio-space/" % \
            self.server.server_address[1]
        if u.path.endswith("/status/28_100"):
            return self.send(200, json.dumps({"source": {
                "location": base + "playlist_1.m3u8?type=replay",
                "status": "LIVE_PUBLIC"}, "chatToken": "x"}).encode(), js)
        if u.path.endswith("/status/28_200"):
            return self.send(200, json.dumps({"source": {
                "location": "https://twitter.com/i/live_video_stream/"
                "authorized_status/1/2?url=" + urllib.parse.quote(
                    base + "dynamic_playlist.m3u8?type=live", safe="")}})
                .encode(), js)
        return self.send(404, b'{"errors":[{"message":"no"}]}', js)


class S(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass


def main():
    global SC, LOG
    SC, LOG = sys.argv[1], sys.argv[3]
    lifetime = float(sys.argv[4]) if len(sys.argv) > 4 else 60
    d = os.path.dirname(os.path.abspath(sys.argv[2]))
    with open(os.path.join(d, "expect.aac"), "wb") as f:
        f.write(b"".join(FRAMES[:NCHUNKS * PER]))
    with open(os.path.join(d, "expect.frames"), "w") as f:
        f.write("%d\n" % (NCHUNKS * PER))
    open(LOG, "a").close()
    srv = S(("127.0.0.1", 0), H)
    srv.daemon_threads = True
    threading.Timer(lifetime, srv.shutdown).start()
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, sys.argv[2])
    srv.serve_forever()
    srv.server_close()


if __name__ == "__main__":
    main()
