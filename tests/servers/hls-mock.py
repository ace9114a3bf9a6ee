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
"""
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
state = {"live0": None, "replay": 0}


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
            if k > LIVE_END:
                return self.send(404, b"ended")
            return self.send(200, playlist(range(max(0, k - 3), k), True,
                                           False), m3u)
        if name in NAMES:
            c = NAMES.index(name)
            live = q.get("type") == ["live"]
            if SC == "slow":
                time.sleep(0.4)
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
