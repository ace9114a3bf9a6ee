#!/usr/bin/env python3
"""hls-mock.py: a loopback HLS server for audio Spaces (reference §3).

    hls-mock.py SCENARIO PORTFILE LOGFILE [LIFETIME]

Listens on 127.0.0.1 on a free port, writes the port to PORTFILE, logs
one line per request to LOGFILE ("GET PATH?QUERY"), and exits by itself
after LIFETIME seconds (default 60).  Connections are served at once,
each by a thread, kept alive (HTTP/1.1, Content-Length); a request's log
line is written before its answer, so a client that has its answer sees
the line.  Beside PORTFILE it writes
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
  ratelimit chunk 2 is 429 once, Retry-After: 2
  forbidden every playlist is 403
  long      (for bench/record.sh) the replay playlist lists 3600 chunks
            of 3 s each (every one all of speech-3s.aac): 3 hours
  endless   the live playlist never ends: its window stops at the last
            chunk and stays there
  disconnect  abrupt disconnects, each on the first request for the
            path, then all fine: the replay playlist is reset (RST:
            SO_LINGER 0) halfway through its body; chunk 1 is reset in
            the middle of a frame; chunk 3 is cut by a clean close right
            after its fifth frame (the bytes so far are whole frames:
            only the Content-Length tells); chunk 5 is reset before any
            answer; chunk 6 is reset right after its headers; the live
            playlist is reset halfway through on its second request

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
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from loopback import serve  # noqa: E402

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
LONG_ANSWERS = {}
LONG_BODY = priv(0x1C9DDE382) + b"".join(FRAMES)


def answer(status, body, ctype, extra=()):
    """A whole response, status line to body, as one bytes object."""
    head = ["HTTP/1.1 %d %s" % (status, REASONS.get(status, "Status")),
            "Content-Type: " + ctype,
            "Content-Length: %d" % len(body)]
    head += ["%s: %s" % kv for kv in extra]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


REASONS = {200: "OK", 400: "Bad Request", 403: "Forbidden",
           404: "Not Found", 429: "Too Many Requests"}


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
    # Many small answers on kept-alive connections: none should wait
    # for a delayed ACK (40 ms).
    disable_nagle_algorithm = True

    def log_message(self, *a):
        pass

    def parse_request(self):
        """The request line and headers, without http.client's email
        parser (a tenth of the time a request takes here): clients under
        benchmark should wait for themselves, not for the mock."""
        line = str(self.raw_requestline, "latin-1").rstrip("\r\n")
        self.requestline = line
        words = line.split()
        if len(words) != 3 or not words[2].startswith("HTTP/1."):
            self.request_version = "HTTP/0.9"
            self.close_connection = True
            self.send_error(400, "Bad request")
            return False
        self.command, self.path, self.request_version = words
        self.headers = {}
        while True:
            h = self.rfile.readline(65537)
            if h in (b"\r\n", b"\n", b""):
                break
            k, _, v = str(h, "latin-1").partition(":")
            self.headers[k.strip().lower()] = v.strip()
        conn = self.headers.get("connection", "").lower()
        self.close_connection = (conn == "close" or
                                 (words[2] == "HTTP/1.0" and
                                  conn != "keep-alive"))
        return True

    def send(self, status, body, ctype="application/octet-stream",
             extra=()):
        self.wfile.write(answer(status, body, ctype, extra))

    def cut(self, data, reset):
        """Send the first bytes of an answer, then drop the connection:
        with an RST (SO_LINGER 0) when reset, else a clean close (FIN)."""
        if data:
            self.wfile.write(data)
        self.close_connection = True
        if reset:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            # rfile and wfile hold the socket open: close the descriptor
            # itself, now, so the RST goes out before anything else.
            os.close(self.connection.detach())
        else:
            self.connection.shutdown(socket.SHUT_RDWR)

    def do_GET(self):
        if SC == "long":
            return self.fast()
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        with lock:
            os.write(LOGFD, b"GET %s\n" % self.path.encode("latin-1"))
            counts[u.path] = counts.get(u.path, 0) + 1
            n = counts[u.path]
        name = u.path.rsplit("/", 1)[-1]
        m3u = "application/vnd.apple.mpegurl"
        if u.path.startswith("/i/api/"):
            return self.web(u, q)
        if SC == "disconnect":
            got = self.disconnect(u.path, name, n)
            if got is not None:
                return self.cut(*got)
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
                return self.send(429, b"", extra=[("Retry-After", "0")])
            if SC == "ratelimit" and c == 2 and n == 1:
                return self.send(429, b"", extra=[("Retry-After", "2")])
            if SC == "gap" and c == 3:
                return self.send(404, b"gone")
            if SC == "live" and live and c == 3:
                return self.send(404, b"gone")
            if SC == "faults" and c == 4 and n <= 2:
                return self.send(404, b"not yet")
            if SC == "faults" and c == 2 and n == 1:
                whole = answer(200, CHUNKS[c], "audio/aac")
                head = len(whole) - len(CHUNKS[c])
                return self.cut(whole[:head + len(CHUNKS[c]) // 2], False)
            return self.send(200, CHUNKS[c], "audio/aac")
        return self.send(404, b"no such thing")

    def fast(self):
        """The long scenario: answers made once, the log line only."""
        with lock:
            os.write(LOGFD, b"GET %s\n" % self.path.encode("latin-1"))
        path = self.path.partition("?")[0]
        if path == "/audio-space/playlist_1.m3u8":
            self.wfile.write(LONG_ANSWERS["playlist"])
        elif path.startswith("/audio-space/chunk_") and \
                path.endswith("_a.aac"):
            self.wfile.write(LONG_ANSWERS["chunk"])
        else:
            self.send(404, b"no such thing")

    def disconnect(self, path, name, n):
        """The disconnect scenario: (bytes to send, reset) for a request
        to cut, else None."""
        m3u = "application/vnd.apple.mpegurl"
        if path == "/audio-space/playlist_1.m3u8" and n == 1:
            whole = answer(200, playlist(range(NCHUNKS), False, True), m3u)
            return whole[:len(whole) // 2], True
        if path == "/audio-space/dynamic_playlist.m3u8" and n == 2:
            whole = answer(200, playlist(range(3), True, False), m3u)
            return whole[:len(whole) // 2], True
        if name not in NAMES or n != 1:
            return None
        c = NAMES.index(name)
        whole = answer(200, CHUNKS[c], "audio/aac")
        head = len(whole) - len(CHUNKS[c])
        if c == 1:
            # Past the tag and some frames, inside the next frame.
            cut = head + len(CHUNKS[c]) - len(FRAMES[c * PER + 12]) // 2 - \
                sum(len(f) for f in FRAMES[c * PER + 13:(c + 1) * PER])
            return whole[:cut], True
        if c == 3:
            cut = head + len(priv(0)) + \
                sum(len(f) for f in FRAMES[c * PER:c * PER + 5])
            return whole[:cut], False
        if c == 5:
            return b"", True
        if c == 6:
            return whole[:head], True
        return None

    def authed(self):
        jar = {}
        for part in self.headers.get("cookie", "").split(";"):
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


def main():
    global SC, LOGFD
    SC, log = sys.argv[1], sys.argv[3]
    lifetime = float(sys.argv[4]) if len(sys.argv) > 4 else 60
    d = os.path.dirname(os.path.abspath(sys.argv[2]))
    with open(os.path.join(d, "expect.aac"), "wb") as f:
        f.write(b"".join(FRAMES[:NCHUNKS * PER]))
    with open(os.path.join(d, "expect.frames"), "w") as f:
        f.write("%d\n" % (NCHUNKS * PER))
    # One descriptor for the run: O_APPEND makes each line one write.
    LOGFD = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    if SC == "long":
        LONG_ANSWERS["playlist"] = answer(200, long_playlist(),
                                          "application/vnd.apple.mpegurl")
        LONG_ANSWERS["chunk"] = answer(200, LONG_BODY, "audio/aac")
    serve(H, sys.argv[2], lifetime)


if __name__ == "__main__":
    main()
