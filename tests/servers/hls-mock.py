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
11.  The tree is the real one (x-formats 3.4, 4.2): under NT =
/Transcoding/v1/hls/TOK/non_transcode/us-east-1/periscope-replay-
direct-prod-us-east-1-public/audio-space/:

  playlist_1.m3u8           the replay (ENDLIST), relative chunk names:
                            what live_video_stream/status gives for an
                            ended Space (x-formats 3.4)
  master_playlist.m3u8      the master: two timestamped sub-playlists
                            under TR (below) as absolute paths, the old
                            short one first (tslazer#5 log, PR #4)
  dynamic_playlist.m3u8     the live playlist: a window of 3 chunks that
                            advances every 0.5 s from the first request;
                            404 once chunk 5 would appear (the end:
                            twspace-crawler SpaceWatcher)
  chunk_<ns>_<seq>_a.aac    the chunks (?type=live ones too): they exist
                            only here (twspace-dl, twspace-crawler
                            getChunkPrefix, tslazer rebuild chunk URLs on
                            this directory)

and under TR = /Transcoding/v1/hls/TOK/transcode/us-east-1/periscope-
replay-direct-prod-us-east-1-public/<JWT>/audio-space/ the sub-playlists
playlist_1720192000.m3u8 (chunks 0-2: old and short) and
playlist_1720196254.m3u8 (all of them); a chunk asked for under TR is
404 (and the test that reads the log fails).

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
  stall     as endless, and chunk 3 is 404 live; the replay never comes
            (a stream that never signals its end: twspace-crawler#93)
  midgap    a slower live Space (a chunk a second): the live playlist is
            404 for a second in the middle while AudioSpaceById still
            says Running (a host's dropped connection), then comes back;
            it ends (404, Ended) after chunk 6 would appear
  aes       the replay's chunks are AES-128-CBC encrypted (tslazer
            0fa61a7): chunks 0-3 under key.bin with an explicit IV, 4-6
            under key2.bin with the IV taken from the sequence number
  mixed     chunk 4 of the replay is 44.1 kHz (another format)
  video     the playlists of a video Space: master_dynamic_playlist.m3u8
            (a variant with RESOLUTION) and ts_playlist.m3u8 (.ts chunks)
  stage     a slow live Space (a chunk every 2 s; 404 and Ended after
            10 s) whose AudioSpaceById answers name who is on stage as it
            changes (see participants() below); its third AudioSpaceById
            is 429 with Retry-After: 1 (issue 15)
  vspace    a video Space (see VIDEO below), live then replayed: the
            live variant playlists are a window of 2 chunks advancing
            every 0.5 s, 404 after the last; chunk 1 is 404 live (the
            replay has it); 1VideoSpace01 is Ended once the live
            playlist has ended
  vgap      the video replay (master_master_playlist.m3u8) with chunk 2
            404 always
  vslow     the video replay, every chunk taking 0.4 s
  vlong     (for bench/record.sh) the video replay lists 1800 chunks of
            2 s (each the generated first chunk again): an hour
  http      for t_http: /http/trickle sends a byte every 0.3 s of a
            100-byte body (a server that passes a low-speed check
            forever: issue 19); /http/503 is 503 with Retry-After: 900
            once, then 200; /http/window says x-rate-limit-remaining: 0
            with a reset 900 s away
  tw        the live playlist is tw_dynamic_playlist.m3u8 and the master
            only tw_master_playlist.m3u8 (tslazer 112296b)
  disconnect  abrupt disconnects, each on the first request for the
            path, then all fine: the replay playlist is reset (RST:
            SO_LINGER 0) halfway through its body; chunk 1 is reset in
            the middle of a frame; chunk 3 is cut by a clean close right
            after its fifth frame (the bytes so far are whole frames:
            only the Content-Length tells); chunk 5 is reset before any
            answer; chunk 6 is reset right after its headers; the live
            playlist is reset halfway through on its second request

In every scenario it also serves the web endpoints of reference §3.2-3.3
and 4.1 as X does:

  - every one needs "Authorization: Bearer <the web app's bearer>"
    (every peer sends it: yt-dlp _AUTH, tslazer, twspace-dl); without
    it 401 {"errors":[{"code":32,...}]} (the code is INFERRED)
  - POST /1.1/guest/activate.json with the bearer gives
    {"guest_token":"..."} (yt-dlp _fetch_guest_token, tslazer
    get_guest_token); a fourth activation in a run is 429 (twspace-dl#82)
  - the others need either the session (cookies auth_token and ct0=CT0
    and the header x-csrf-token: CT0: yt-dlp _set_base_headers) or a
    guest token it gave (x-guest-token), else 403; scenario noguest
    answers a guest's AudioSpaceById with 403 (login required)
  - AudioSpaceById needs every feature flag of the web client (tslazer's
    map of 2025-11): a missing one is 400 {"errors":[{"code":336,
    "message":"The following features cannot be null: ..."}]}
    (twspace-crawler#47); a query id other than rC2zlE1t7SHbVG8obPZliQ
    is 404 (a stale id: twspace-crawler#64)
  - each web request is logged with "auth=bearer|none", "ua=browser|
    other" and "who=cookie|guest|none" after the path

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
      1TimedOut0001  TimedOut, no replay yet (yt-dlp#7455)
      1VideoSpace01  Running, media_key 28_300: a stream outside
                     /audio-space/ (a video Space, as yt-dlp tells them)
      1GeoSpace0001  Ended, media_key 28_400: the status answer is X's
                     .../live_video_stream/geoblocked/... (yt-dlp)
      any other      {"data":{"audioSpace":{}}} (no such Space)
  In scenario midgap, 1LiveSpace001 is Running until its live playlist
  has ended, Ended after.
  /i/api/1.1/live_video_stream/status/<media_key>

VIDEO (the v* scenarios; what X serves for camera Spaces, from the peers:
spaces-record(1) STANDARDS lists the sources).  The media is made at
start by tests/gen-video.sh into vid/ beside PORTFILE (8 s of H.264 +
AAC, four 2 s MPEG-TS chunks named chunk_<ns>_<seq>_v.ts: the video
suffix is unverified).  Under VNT = /Transcoding/v1/hls/TOK/non_transcode/
us-east-1/periscope-replay-direct-prod-us-east-1-public/ (no
/audio-space/: twspace-crawler#93's real URL):

  master_dynamic_playlist.m3u8   the live master (tslazer
        twitter_m3u8_info.md: master_dynamic_playlist.m3u8?type=live);
        two variants as absolute paths
        /Transcoding/v1/hls/TOK/transcode/<region>/<deploy>/<JWT>/
        dynamic_playlist.m3u8?type=live (same file), one per rung: 720p
        (the JWT payload quoted there: encoder_setting_720p30_10, 1280x720,
        2750 kb/s) and 360p (an assumed lower rung); RESOLUTION,
        BANDWIDTH and CODECS attributes (their presence is assumed: no
        source quotes a video master's STREAM-INF)
  master_master_playlist.m3u8    the replay master (twspace-crawler#93's
        name); its variants are <JWT>/playlist_1720196254.m3u8?type=replay
        (tslazer: playlist_<digits>.m3u8?type=replay), ENDLIST

The chunks are served in each rung's transcode directory (both rungs
serve the same bytes: the test tells the rung by the path asked for).
"""
import json
import os
import socket
import subprocess
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
NT = ("/Transcoding/v1/hls/TOK/non_transcode/us-east-1/"
      "periscope-replay-direct-prod-us-east-1-public/audio-space/")
# The JWT element of a transcode path (x-formats 3.4: HS256, Kbps 350).
JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsInZlcnNpb24iOiIyIn0."
       "eyJIZWlnaHQiOjEwMCwiS2JwcyI6MzUwLCJUcmFuc2NvZGVBdWRpbyI6dHJ1ZSwi"
       "V2lkdGgiOjEwMH0.c2lnbmF0dXJlLW9mLXRoZS1tb2NrLWp3dC1lbGVtZW50LTEyMzQ")
TR = ("/Transcoding/v1/hls/TOK/transcode/us-east-1/"
      "periscope-replay-direct-prod-us-east-1-public/" + JWT + "/audio-space/")
SUB_OLD, SUB_NEW = "playlist_1720192000.m3u8", "playlist_1720196254.m3u8"
# The public bearer of X's web app (yt-dlp TwitterBaseIE._AUTH, tslazer).
BEARER = ("AAAAAAAAAAAAAAAAAAAAANRILgAAAAAAnNwIzUejRCOuH5E6I8xnZz4puTs%3D"
          "1Zv7ttfk8LF81IUq16cHjhLTvJu4FA33AGWWjCpTnA")
QUERY_ID = "rC2zlE1t7SHbVG8obPZliQ"
GUEST = "1865432109876543210"
# The flags AudioSpaceById wants (tslazer TwitterSpace.py, 2025-11).
FEATURES = """spaces_2022_h2_spaces_communities spaces_2022_h2_clipping
creator_subscriptions_tweet_preview_api_enabled
profile_label_improvements_pcf_label_in_post_enabled
responsive_web_profile_redirect_enabled rweb_tipjar_consumption_enabled
verified_phone_label_enabled premium_content_api_read_enabled
communities_web_enable_tweet_community_results_fetch
c9s_tweet_anatomy_moderator_badge_enabled
responsive_web_grok_analyze_button_fetch_trends_enabled
responsive_web_grok_analyze_post_followups_enabled
responsive_web_jetfuel_frame responsive_web_grok_share_attachment_enabled
articles_preview_enabled
responsive_web_graphql_skip_user_profile_image_extensions_enabled
responsive_web_edit_tweet_api_enabled
graphql_is_translatable_rweb_tweet_is_translatable_enabled
view_counts_everywhere_api_enabled longform_notetweets_consumption_enabled
responsive_web_twitter_article_tweet_consumption_enabled
tweet_awards_web_tipping_enabled responsive_web_grok_show_grok_translated_post
responsive_web_grok_analysis_button_from_backend
creator_subscriptions_quote_tweet_preview_enabled
freedom_of_speech_not_reach_fetch_enabled standardized_nudges_misinfo
tweet_with_visibility_results_prefer_gql_limited_actions_policy_enabled
longform_notetweets_rich_text_read_enabled
longform_notetweets_inline_media_enabled
responsive_web_grok_image_annotation_enabled
responsive_web_grok_imagine_annotation_enabled
responsive_web_graphql_timeline_navigation_enabled
responsive_web_grok_community_note_auto_translation_is_enabled
responsive_web_enhance_cards_enabled""".split()
KEY1, KEY2 = bytes(range(16)), bytes(range(100, 116))
IV1 = bytes(range(200, 216))


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



def aes(data, key, iv):
    """AES-128-CBC with PKCS#7 padding, by the openssl command (a tool
    nobody here wrote)."""
    return subprocess.run(["openssl", "enc", "-aes-128-cbc", "-K", key.hex(),
                           "-iv", iv.hex()], input=data, check=True,
                          capture_output=True).stdout


def seq_iv(seq):
    return seq.to_bytes(16, "big")


def to_44k(chunk):
    """The chunk with every ADTS header saying 44.1 kHz (index 4)."""
    b, i = bytearray(chunk), 0
    while i + 7 <= len(b):
        if b[i] == 0xFF and (b[i + 1] & 0xF6) == 0xF0:
            b[i + 2] = (b[i + 2] & ~0x3C) | (4 << 2)
            i += ((b[i + 3] & 3) << 11) | (b[i + 4] << 3) | (b[i + 5] >> 5)
        else:
            i += 1
    return bytes(b)


lock = threading.Lock()
counts = {}
state = {"live0": None, "replay": 0, "sched": 0, "guests": 0}
ENC = {}
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
    "1TimedOut0001": {"rest_id": "1TimedOut0001", "state": "TimedOut",
                      "is_space_available_for_replay": False},
    "1VideoSpace01": {"rest_id": "1VideoSpace01", "state": "Running",
                      "media_key": "28_300"},
    "1GeoSpace0001": {"rest_id": "1GeoSpace0001", "state": "Ended",
                      "media_key": "28_400",
                      "is_space_available_for_replay": True},
}


def person(uid, name, admin=False):
    """A participant as AudioSpaceById gives one (twspace-crawler
    src/api/interface/twitter-graphql.interface.ts AudioSpaceParticipant:
    periscope_user_id, start, twitter_screen_name, display_name,
    avatar_url, is_verified, is_muted_by_admin, is_muted_by_guest,
    user_results {rest_id, result {rest_id, legacy}}; its
    twitter-entity.util.ts reads the X id from user_results)."""
    return {"periscope_user_id": "1p" + uid, "start": 1720192654637,
            "twitter_screen_name": name, "display_name": name.title(),
            "avatar_url": "https://pbs.twimg.com/x_normal.jpg",
            "is_verified": False, "is_muted_by_admin": False,
            "is_muted_by_guest": not admin,
            "user_results": {"rest_id": uid, "result": {
                "__typename": "User", "rest_id": uid,
                "legacy": {"screen_name": name}}}}


def participants(t):
    """Scenario stage, t s into the live stream: the host (an admin)
    throughout; alice speaks until 5 s; bob from 3 s; a listener
    (never a speaker) throughout.  The shape: data.audioSpace.
    participants {total, admins, speakers, listeners} (x-formats 3.2;
    twspace-crawler AudioSpaceParticipants)."""
    speakers = []
    if t < 5:
        speakers.append(person("22", "alice"))
    if t >= 3:
        speakers.append(person("33", "bob"))
    listeners = [person("99", "listener")]
    return {"total": 1 + len(speakers) + len(listeners),
            "admins": [person("6253282", "livehost", True)],
            "speakers": speakers, "listeners": listeners}


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


REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized",
           403: "Forbidden", 503: "Service Unavailable",
           404: "Not Found", 429: "Too Many Requests"}


def long_playlist():
    out = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-TARGETDURATION:4",
           "#EXT-X-MEDIA-SEQUENCE:0"]
    for s in range(LONG_N):
        out.append("#EXTINF:%.3f," % (len(FRAMES) * 1024 / 48000))
        out.append("chunk_%d_%d_a.aac" % (NS0 + s * 3000000000, s))
    out.append("#EXT-X-ENDLIST")
    return ("\n".join(out) + "\n").encode()


def master(prefix=""):
    """The master: the old short sub-playlist first, the newest last,
    as absolute paths under the transcode directory (tslazer#5)."""
    return ("#EXTM3U\n#EXT-X-VERSION:3\n"
            '#EXT-X-STREAM-INF:BANDWIDTH=96000,CODECS="mp4a.40.2"\n'
            "%s%s%s\n"
            '#EXT-X-STREAM-INF:BANDWIDTH=96000,CODECS="mp4a.40.2"\n'
            "%s%s%s\n" % (TR, prefix, SUB_OLD, TR, prefix, SUB_NEW)).encode()


def playlist(seqs, live, end, keyed=False, prefix=""):
    out = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-TARGETDURATION:1",
           "#EXT-X-INDEPENDENT-SEGMENTS",
           "#EXT-X-MEDIA-SEQUENCE:%d" % (seqs[0] if seqs else 0),
           "#EXT-X-DISCONTINUITY-SEQUENCE:0"]
    for s in seqs:
        # The key tags of an encrypted stream (RFC 8216 4.3.2.4).
        if keyed and s == 0:
            out.append('#EXT-X-KEY:METHOD=AES-128,URI="key.bin",IV=0x' +
                       IV1.hex())
        if keyed and s == 4:
            out.append('#EXT-X-KEY:METHOD=AES-128,URI="%skey2.bin"' % NT)
        out.append("#EXT-X-PROGRAM-DATE-TIME:2024-07-05T15:17:%06.3fZ"
                   % (10 + s * 0.427))
        out.append("#EXTINF:0.427,")
        out.append(prefix + NAMES[s] + ("?type=live" if live else ""))
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

    def live_window(self):
        """The live playlist now: (first, last+1) of its window, or None
        when it is 404 (ended, or the host's connection dropped)."""
        with lock:
            if state["live0"] is None:
                state["live0"] = time.time()
            t = time.time() - state["live0"]
        if SC == "midgap":
            # A chunk a second; gone for a second in the middle.
            k = 3 + int(t)
            if 1.5 <= t < 2.5 or k > 6:
                return None
            return max(0, k - 3), k
        if SC == "stage":
            k = 3 + int(t / 2)
            return None if k > NCHUNKS else (max(0, k - 3), k)
        k = 3 + int(t / STEP)
        if SC in ("endless", "stall"):
            k = min(k, NCHUNKS)
        elif k > LIVE_END:
            return None
        return max(0, k - 3), k

    def stage_t(self):
        """Seconds since the live playlist was first asked for."""
        with lock:
            t0 = state["live0"]
        return 0.0 if t0 is None else time.time() - t0

    def live_ended(self):
        """Whether the live playlist has ended for good: AudioSpaceById
        then says Ended, not Running (twspace-crawler SpaceWatcher
        re-checks the state on a 404)."""
        with lock:
            t0 = state["live0"]
        if t0 is None or SC in ("endless", "stall"):
            return False
        end = {"midgap": 4, "stage": 10}.get(SC, (LIVE_END - 2) * STEP)
        return time.time() - t0 >= end

    def do_POST(self):
        u = urllib.parse.urlsplit(self.path)
        n = int(self.headers.get("content-length", "0") or "0")
        if n:
            self.rfile.read(n)
        with lock:
            os.write(LOGFD, b"POST %s %s\n" % (self.path.encode("latin-1"),
                                             self.who().encode()))
        js = "application/json"
        if u.path != "/1.1/guest/activate.json":
            return self.send(404, b"{}", js)
        if not self.bearer():
            return self.unauthorized()
        with lock:
            state["guests"] += 1
            k = state["guests"]
        if k > 3:
            # twspace-dl#82: X rate-limits repeated activations.
            return self.send(429, json.dumps({"errors": [
                {"code": 88, "message": "Rate limit exceeded."}]}).encode(),
                js)
        return self.send(200, json.dumps({"guest_token": GUEST}).encode(),
                         js)

    def do_GET(self):
        if SC == "long":
            return self.fast()
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        web = u.path.startswith("/i/api/")
        with lock:
            os.write(LOGFD, b"GET %s%s\n" % (
                self.path.encode("latin-1"),
                b" " + self.who().encode() if web else b""))
            counts[u.path] = counts.get(u.path, 0) + 1
            n = counts[u.path]
        name = u.path.rsplit("/", 1)[-1]
        m3u = "application/vnd.apple.mpegurl"
        if web:
            return self.web(u, q)
        if SC == "http" and u.path.startswith("/http/"):
            return self.http_faults(u.path, n)
        if SC in ("vspace", "vgap", "vslow", "vlong"):
            return self.video(u, q, name)
        if u.path.startswith(TR):
            # The sub-playlists live here; their chunks do not.
            rel = u.path[len(TR):]
            pre = "tw_" if SC == "tw" else ""
            if rel == pre + SUB_OLD:
                return self.send(200, playlist(range(3), False, True), m3u)
            if rel == pre + SUB_NEW:
                return self.sub_new(m3u)
            return self.send(404, b"no such thing")
        if not u.path.startswith(NT):
            return self.send(404, b"no such thing")
        rel = u.path[len(NT):]
        if SC == "disconnect":
            got = self.disconnect(rel, name, n)
            if got is not None:
                return self.cut(*got)
        if SC == "forbidden" and rel.endswith(".m3u8"):
            return self.send(403, b"forbidden")
        if rel == "playlist_1.m3u8":
            if SC == "live":
                return self.sub_new(m3u)
            if SC == "stall":
                return self.send(404, b"not yet")
            return self.send(200, playlist(range(NCHUNKS), False, True,
                                           SC == "aes"), m3u)
        if rel == ("tw_" if SC == "tw" else "") + "master_playlist.m3u8":
            if SC == "stall":
                return self.send(404, b"not yet")
            return self.send(200, master("tw_" if SC == "tw" else ""), m3u)
        if SC == "video":
            # A video Space's playlists (fireattack twitter_m3u8_info.md,
            # twspace-crawler PeriscopeUtil): a variant with a picture
            # size, and .ts chunks.
            if rel == "master_dynamic_playlist.m3u8":
                return self.send(200, b"#EXTM3U\n#EXT-X-STREAM-INF:"
                                 b"BANDWIDTH=2000000,RESOLUTION=1280x720,"
                                 b'CODECS="avc1.4d001f,mp4a.40.2"\n'
                                 b"master_dynamic_1.m3u8\n", m3u)
            if rel == "ts_playlist.m3u8":
                return self.send(200, b"#EXTM3U\n#EXT-X-TARGETDURATION:2\n"
                                 b"#EXTINF:2,\nchunk_1_0_v.ts\n"
                                 b"#EXT-X-ENDLIST\n", m3u)
        if rel == ("tw_" if SC == "tw" else "") + "dynamic_playlist.m3u8":
            w = self.live_window()
            if w is None:
                return self.send(404, b"ended")
            return self.send(200, playlist(range(*w), True, False), m3u)
        if SC == "aes" and rel in ("key.bin", "key2.bin"):
            return self.send(200, KEY1 if rel == "key.bin" else KEY2,
                             "application/octet-stream")
        if name in NAMES:
            return self.chunk(NAMES.index(name), q, n)
        return self.send(404, b"no such thing")

    def video(self, u, q, name):
        m3u = "application/vnd.apple.mpegurl"
        if u.path == VNT + "master_dynamic_playlist.m3u8":
            return self.send(200, vmaster("dynamic_playlist.m3u8?type=live"),
                             m3u)
        if u.path == VNT + "master_master_playlist.m3u8":
            return self.send(200, vmaster(
                "playlist_1720196254.m3u8?type=replay"), m3u)
        rung = [h for h in VTR if u.path.startswith(VTR[h])]
        if not rung:
            return self.send(404, b"no such thing")
        if name == "dynamic_playlist.m3u8":
            w = vwindow()
            if w is None:
                return self.send(404, b"ended")
            return self.send(200, vplaylist(range(*w), True, False), m3u)
        if name == "playlist_1720196254.m3u8":
            nv = VLONG_N if SC == "vlong" else len(VID["names"])
            return self.send(200, vplaylist(range(nv), False, True), m3u)
        if not name.endswith("_v.ts"):
            return self.send(404, b"no such thing")
        if SC == "vlong":
            return self.send(200, VID["data"][VID["names"][0]], "video/mp2t")
        if name not in VID["data"]:
            return self.send(404, b"no such chunk")
        c = VID["names"].index(name)
        if SC == "vslow":
            time.sleep(0.4)
        if SC == "vgap" and c == 2:
            return self.send(404, b"gone")
        if SC == "vspace" and c == 1 and q.get("type") == ["live"]:
            return self.send(404, b"gone")
        return self.send(200, VID["data"][name], "video/mp2t")

    def http_faults(self, path, n):
        if path == "/http/trickle":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n"
                             b"Content-Type: text/plain\r\n\r\n")
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.3)
            return None
        if path == "/http/503" and n == 1:
            return self.send(503, b"busy", "text/plain",
                             extra=[("Retry-After", "900")])
        if path == "/http/window":
            return self.send(200, b"ok", "text/plain", extra=[
                ("x-rate-limit-remaining", "0"),
                ("x-rate-limit-reset", "%d" % (time.time() + 900))])
        return self.send(200, b"ok", "text/plain")

    def sub_new(self, m3u):
        """The newest sub-playlist; in scenario live it is 404 at first,
        then short, then whole (tslazer#5: 404 for a while after the
        end; twspace-crawler: shorter than the live one at first)."""
        if SC == "stall":
            return self.send(404, b"not yet")
        if SC == "live":
            with lock:
                state["replay"] += 1
                k = state["replay"]
            if k == 1:
                return self.send(404, b"not yet")
            if k == 2:
                return self.send(200, playlist(range(4), False, True), m3u)
        return self.send(200, playlist(range(NCHUNKS), False, True,
                                       SC == "aes"), m3u)

    def chunk(self, c, q, n):
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
        if SC in ("live", "stall") and live and c == 3:
            return self.send(404, b"gone")
        if SC == "faults" and c == 4 and n <= 2:
            return self.send(404, b"not yet")
        if SC == "faults" and c == 2 and n == 1:
            whole = answer(200, CHUNKS[c], "audio/aac")
            head = len(whole) - len(CHUNKS[c])
            return self.cut(whole[:head + len(CHUNKS[c]) // 2], False)
        if SC == "aes":
            return self.send(200, ENC[c], "audio/aac")
        if SC == "mixed" and c == 4:
            return self.send(200, to_44k(CHUNKS[c]), "audio/aac")
        return self.send(200, CHUNKS[c], "audio/aac")

    def fast(self):
        """The long scenario: answers made once, the log line only."""
        with lock:
            os.write(LOGFD, b"GET %s\n" % self.path.encode("latin-1"))
        path = self.path.partition("?")[0]
        if path == NT + "playlist_1.m3u8":
            self.wfile.write(LONG_ANSWERS["playlist"])
        elif path.startswith(NT + "chunk_") and path.endswith("_a.aac"):
            self.wfile.write(LONG_ANSWERS["chunk"])
        else:
            self.send(404, b"no such thing")

    def disconnect(self, path, name, n):
        """The disconnect scenario: (bytes to send, reset) for a request
        to cut, else None."""
        m3u = "application/vnd.apple.mpegurl"
        if path == "playlist_1.m3u8" and n == 1:
            whole = answer(200, playlist(range(NCHUNKS), False, True), m3u)
            return whole[:len(whole) // 2], True
        if path == "dynamic_playlist.m3u8" and n == 2:
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

    def bearer(self):
        return self.headers.get("authorization") == "Bearer " + BEARER

    def cookie_session(self):
        jar = {}
        for part in self.headers.get("cookie", "").split(";"):
            k, _, v = part.strip().partition("=")
            jar[k] = v
        # yt-dlp _set_base_headers: x-csrf-token is the ct0 cookie.
        return ("auth_token" in jar and jar.get("ct0") == CT0 and
                self.headers.get("x-csrf-token") == CT0)

    def who(self):
        ua = self.headers.get("user-agent", "")
        who = ("cookie" if self.cookie_session() else
               "guest" if self.headers.get("x-guest-token") == GUEST else
               "none")
        return "auth=%s ua=%s who=%s" % (
            "bearer" if self.bearer() else "none",
            "browser" if ua.startswith("Mozilla/5.0 ") else "other", who)

    def unauthorized(self):
        return self.send(401, json.dumps({"errors": [
            {"code": 32, "message": "Could not authenticate you."}]}).encode(),
            "application/json")

    def web(self, u, q):
        js = "application/json"
        if not self.bearer():
            return self.unauthorized()
        cookie = self.cookie_session()
        guest = self.headers.get("x-guest-token") == GUEST
        if not cookie and not guest:
            return self.send(403, json.dumps({"errors": [
                {"code": 239, "message": "Bad guest token."}]}).encode(), js)
        if "/AudioSpaceById" in u.path:
            if u.path != "/i/api/graphql/%s/AudioSpaceById" % QUERY_ID:
                return self.send(404, b"", js)
            try:
                sid = json.loads(q["variables"][0])["id"]
                feats = json.loads(q["features"][0])
            except (KeyError, ValueError, TypeError):
                return self.send(400, b'{"errors":[{"message":"bad"}]}', js)
            missing = [f for f in FEATURES if not isinstance(
                feats, dict) or not isinstance(feats.get(f), bool)]
            if missing:
                return self.send(400, json.dumps({"errors": [{
                    "code": 336, "message": "The following features "
                    "cannot be null: " + ", ".join(missing)}]}).encode(), js)
            if guest and not cookie and SC == "noguest":
                return self.send(403, json.dumps({"errors": [
                    {"code": 220, "message": "Your credentials do not allow "
                     "access to this resource."}]}).encode(), js)
            sched = 0
            if sid == "1Scheduled001":
                with lock:
                    state["sched"] += 1
                    sched = state["sched"]
            if sched and sched <= 2:
                md = {"rest_id": sid, "state": "NotStarted",
                      "scheduled_start": 1720192654637, "title": "Soon"}
            elif sid in ("1LiveSpace001", "1Scheduled001"):
                md = dict(SPACES["1LiveSpace001"], rest_id=sid)
                if sched:
                    md["title"] = "Soon"
                if self.live_ended():
                    md.update(state="Ended",
                              is_space_available_for_replay=True)
                if SC == "stage" and sid == "1LiveSpace001":
                    with lock:
                        state["stage"] = state.get("stage", 0) + 1
                        k = state["stage"]
                    if k == 3:
                        # X's rate limit on the web API (twspace-dl#82
                        # saw it on guest/activate; the GraphQL answer
                        # is INFERRED to be alike).
                        return self.send(429, json.dumps({"errors": [
                            {"code": 88, "message": "Rate limit "
                             "exceeded."}]}).encode(), js,
                            extra=[("Retry-After", "1")])
                    return self.send(200, json.dumps({"data": {
                        "audioSpace": {"metadata": md,
                                       "participants": participants(
                                           self.stage_t())}}}).encode(),
                        js)
            elif sid == "1VideoSpace01" and SC == "vspace":
                md = dict(SPACES[sid])
                with lock:
                    if state.get("vended"):
                        md.update(state="Ended",
                                  is_space_available_for_replay=True)
            elif sid in SPACES:
                md = SPACES[sid]
            else:
                return self.send(200, b'{"data":{"audioSpace":{}}}', js)
            return self.send(200, json.dumps({"data": {"audioSpace": {
                "metadata": md, "participants": {"total": 0}}}}).encode(),
                js)
        base = "http://127.0.0.1:%d%s" % (self.server.server_address[1], NT)
        live = ("tw_" if SC == "tw" else "") + "dynamic_playlist.m3u8"
        if u.path.endswith("/status/28_100"):
            return self.send(200, json.dumps({"source": {
                "location": base + "playlist_1.m3u8?type=replay",
                "status": "LIVE_PUBLIC"}, "chatToken": "x"}).encode(), js)
        if u.path.endswith("/status/28_200"):
            return self.send(200, json.dumps({"source": {
                "location": "https://twitter.com/i/live_video_stream/"
                "authorized_status/1/2?url=" + urllib.parse.quote(
                    base + live + "?type=live", safe="")}}).encode(), js)
        if u.path.endswith("/status/28_300"):
            return self.send(200, json.dumps({"source": {
                "location": base.replace("/audio-space/", "/") +
                "master_dynamic_playlist.m3u8?type=live"}}).encode(), js)
        if u.path.endswith("/status/28_400"):
            return self.send(200, json.dumps({"source": {
                "location": "https://x.com/i/live_video_stream/geoblocked/"
                "28_400/playlist.m3u8"}}).encode(), js)
        return self.send(404, b'{"errors":[{"message":"no"}]}', js)


VNT = ("/Transcoding/v1/hls/TOK/non_transcode/us-east-1/"
       "periscope-replay-direct-prod-us-east-1-public/")


def b64url(obj):
    import base64
    raw = json.dumps(obj, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def vjwt(h, w, kbps):
    # Header and payload as tslazer's quoted example; a fake signature.
    return (b64url({"alg": "HS256", "typ": "JWT", "version": "2"}) + "." +
            b64url({"EncoderSetting": "encoder_setting_%dp30_10" % h,
                    "Height": h, "Kbps": kbps, "Width": w}) +
            ".c2lnbmF0dXJlLW9mLXRoZS1tb2NrLWp3dA")


# The rungs: (height, width, kb/s), the 360p one an assumption.
RUNGS = [(360, 640, 800), (720, 1280, 2750)]
VTR = {h: "/Transcoding/v1/hls/TOK/transcode/us-east-1/"
       "periscope-replay-direct-prod-us-east-1-public/" + vjwt(h, w, k) + "/"
       for h, w, k in RUNGS}
VID = {"names": [], "durs": [], "data": {}}
VLONG_N = 1800


def vmaster(sub):
    out = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for h, w, k in RUNGS:
        out.append('#EXT-X-STREAM-INF:BANDWIDTH=%d,RESOLUTION=%dx%d,'
                   'CODECS="avc1.64001f,mp4a.40.2"' % (k * 1000, w, h))
        out.append(VTR[h] + sub)
    return ("\n".join(out) + "\n").encode()


def vplaylist(seqs, live, end):
    out = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:2",
           "#EXT-X-MEDIA-SEQUENCE:%d" % (seqs[0] if seqs else 0)]
    for s_ in seqs:
        out.append("#EXTINF:%s," % VID["durs"][s_ % len(VID["names"])])
        out.append(vname(s_) + ("?type=live" if live else ""))
    if end:
        out.append("#EXT-X-ENDLIST")
    return ("\n".join(out) + "\n").encode()


def vname(s_):
    if s_ < len(VID["names"]):
        return VID["names"][s_]
    return "chunk_%d_%d_v.ts" % (NS0 + s_ * 2000000000, s_)


def vsetup(d):
    vid = os.path.join(d, "vid")
    if not os.path.exists(os.path.join(vid, "playlist.m3u8")):
        subprocess.run(["sh", os.path.join(TOP, "tests", "gen-video.sh"),
                        vid, "8"], check=True)
    dur = None
    with open(os.path.join(vid, "playlist.m3u8")) as f:
        for line in f:
            line = line.strip()
            if line.startswith("#EXTINF:"):
                dur = line[8:].rstrip(",")
            elif line and not line.startswith("#"):
                VID["names"].append(line)
                VID["durs"].append(dur)
                with open(os.path.join(vid, line), "rb") as g:
                    VID["data"][line] = g.read()


def vwindow():
    """The live window (first, last+1), or None once it has ended."""
    with lock:
        if state["live0"] is None:
            state["live0"] = time.time()
        t = time.time() - state["live0"]
    k = 2 + int(t / STEP)
    if k > len(VID["names"]):
        with lock:
            state["vended"] = True
        return None
    return k - 2, k


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
    if SC == "aes":
        for c in range(NCHUNKS):
            ENC[c] = aes(CHUNKS[c], KEY1 if c < 4 else KEY2,
                         IV1 if c < 4 else seq_iv(c))
    if SC in ("vspace", "vgap", "vslow", "vlong"):
        vsetup(d)
    if SC == "long":
        LONG_ANSWERS["playlist"] = answer(200, long_playlist(),
                                          "application/vnd.apple.mpegurl")
        LONG_ANSWERS["chunk"] = answer(200, LONG_BODY, "audio/aac")
    serve(H, sys.argv[2], lifetime)


if __name__ == "__main__":
    main()
