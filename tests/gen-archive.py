#!/usr/bin/env python3
"""gen-archive.py: build X "download your data" archive zips for tests.

    python3 tests/gen-archive.py [options] OUT.zip

The files follow the shapes documented in ../shared/reference/x-formats.md
section 1: manifest.js, window.YTD.<type>.partN data files pretty-printed the
way X prints them (2-space indent, `"key" : value`, `[ ]`), spaces-metadata.js
(whose real shape is UNVERIFIED: every tolerated variation has an option) and
data/spaces_media/space-<id>_<n>.ts parts made of real ADTS AAC with ID3 tags:
copies of --aac FILE (default: tests/data/aac/space-chunks.aac), or, with
--hls-chunks S, its frames re-cut into HLS chunks with X's tags, timed from
each Space's createdAt (make demo: tests/data/demo/speech.aac).
Each fault option damages one thing and leaves the rest of the archive valid.

Output is deterministic: fixed zip timestamps and modes, seeded contents, so
the same options give the same bytes (with the same zlib).  Large entries are
written in chunks, so a multi-gigabyte archive needs little memory.

With --print-expect, stdout gets one JSON object describing what the archive
holds (user facts, Spaces, audio parts with bytes, frames and duration, every
entry, the faults put in), for tests to compare the command's output with.
Standard library only.
"""

import argparse
import datetime
import json
import os
import random
import struct
import sys
import zipfile

ZIP_TIME = (2024, 7, 5, 15, 17, 40)          # every entry's DOS timestamp
GENERATED = "2024-07-05T15:17:40.000Z"       # manifest generationDate
SPACE0_MS = 1647976742000                    # 2022-03-22T19:19:02.000Z
FIRST_SPACE_ID = "1ypKdEXvkMLGW"             # the real id from simonw/til
ACCOUNT_CREATED = "2011-06-23T13:04:14.000Z"
DEFAULT_AAC = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "data", "aac", "space-chunks.aac")
MiB = 1 << 20
ADTS_RATES = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050,
              16000, 12000, 11025, 8000, 7350)


def die(msg):
    sys.stderr.write("gen-archive.py: %s\n" % msg)
    sys.exit(2)


def iso(ms):
    t = datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % (ms % 1000)


# ---------------------------------------------------------------- printing

def pretty(v, ind=0):
    """JSON the way X's archive prints it (x-formats 1.3): 2-space indent,
    space before and after the colon, every non-empty array one element a
    line, empty arrays `[ ]`, non-ASCII kept raw."""
    sp = "  " * ind
    if isinstance(v, dict):
        if not v:
            return "{ }"
        items = ["%s  %s : %s" % (sp, json.dumps(k, ensure_ascii=False),
                                  pretty(x, ind + 1)) for k, x in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + sp + "}"
    if isinstance(v, list):
        if not v:
            return "[ ]"
        items = [sp + "  " + pretty(x, ind + 1) for x in v]
        return "[\n" + ",\n".join(items) + "\n" + sp + "]"
    return json.dumps(v, ensure_ascii=False)


class Enc:
    """The encoding variations applied to every data/*.js file."""

    def __init__(self, a):
        self.bom, self.crlf, self.semi = a.bom, a.crlf, a.semicolon
        self.header = not a.no_header

    def text(self, s):
        b = s.encode("utf-8")
        return b.replace(b"\n", b"\r\n") if self.crlf else b

    def ytd(self, global_name, items_text, empty_raw=None):
        """Chunks of one YTD file from an iterator of already-printed,
        already-indented array elements.  empty_raw overrides the whole
        body of an empty file (the spaces-metadata empty variants)."""
        head = "window.%s = " % global_name if self.header else ""
        first = True
        pend = self.bom and b"\xef\xbb\xbf" or b""
        for t in items_text:
            pend += self.text((head + "[\n" if first else ",\n") + t)
            first = False
            if len(pend) >= 1 << 16:
                yield pend
                pend = b""
        if first:
            body = empty_raw if empty_raw is not None else "[ ]" + \
                (";" if self.semi else "") + "\n"
            yield pend + self.text(head + body)
            return
        yield pend + self.text("\n]" + (";" if self.semi else "") + "\n")


def items_of(objs):
    """Print top-level array elements (indented one level)."""
    for o in objs:
        yield "  " + pretty(o, 1)


# ---------------------------------------------------------------- content

def account_id_list(n, salt):
    """n distinct, deterministic account ids: a quarter short (old
    accounts), the rest 19-digit snowflakes (above 2^53 on purpose)."""
    for i in range(n):
        if i % 4 == 0:
            yield str(100000 + i * 37 + salt)
        else:
            yield str(1190000000000000000 + i * 7000021 + salt * 13)


def follow_items(kind, ids):
    """Fast path for follower/following items (millions of them)."""
    tpl = ('  {\n    "%s" : {\n      "accountId" : "%%s",\n      "userLink" : '
           '"https://twitter.com/intent/user?user_id=%%s"\n    }\n  }') % kind
    for i in ids:
        yield tpl % (i, i)


def bad_follow_items(kind, ids):
    """--bad-json: one good item, then text that is not JSON (the closing
    bracket still follows)."""
    it = iter(ids)
    first = next(it, "1252851")
    yield next(follow_items(kind, [first]))
    yield ('  {\n    "%s" : {\n      "accountId" : 12ab34,\n'
           '      <!-- not json' % kind)


def space_ids(n, seed):
    r = random.Random("space-ids-%d" % seed)
    alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    out, seen = [], set()
    if n:
        out.append(FIRST_SPACE_ID)
        seen.add(FIRST_SPACE_ID)
    while len(out) < n:
        s = "1" + "".join(r.choice(alpha) for _ in range(12))
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def spaces_facts(a, follower_ids):
    """The Spaces as plain facts (ms timestamps, ids as strings)."""
    cohost = follower_ids[1] if len(follower_ids) > 1 else "1310630474755178496"
    facts = []
    for i, sid in enumerate(space_ids(a.spaces, a.seed)):
        created = SPACE0_MS + i * (6 * 86400 + 3 * 3600 + 17 * 60) * 1000 \
            + (i * 137) % 1000
        ended = created + (65 * 60 + 28 + i * 7 * 60) * 1000 + 391
        hosts = [a.account_id] + ([cohost] if i % 2 else [])
        speakers = [{"user_id": a.account_id, "start": created + 58000,
                     "end": ended - 5000}]
        if i % 2:   # a co-host with two spoken sessions
            speakers.append({"user_id": cohost, "start": created + 600000,
                             "end": created + 900250})
            speakers.append({"user_id": cohost, "start": created + 1500000,
                             "end": created + 1620500})
        facts.append({
            "id": sid, "creator_id": a.account_id, "host_ids": hosts,
            "speakers": speakers, "created_at": created, "ended_at": ended,
            "total_participating": 0, "total_participated": 42 + 17 * i,
            "invited_user_ids": [cohost] if i % 2 else [],
        })
    return facts


def tweets_date(ms):
    """The tweets' created_at form, "Tue Mar 22 19:19:02 +0000 2022"
    (x-formats 1.5 [V]: tweets.js in real archives)."""
    t = datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc)
    return t.strftime("%a %b %d %H:%M:%S +0000 %Y")


def speakers_in(f, style, uid, ts):
    """The speakers of one Space in one of the nestings tolerated.

    Evidence: X's data/README.txt (2023 and 2026, x-formats 1.6 and 4.3)
    says only that `speakers` holds "participants' Twitter user IDs and
    start/end time of their spoken sessions"; no real non-empty
    spaces-metadata.js has been published (searched: the code corpus for
    window.YTD.spaces_metadata.part0, spacesMetadata, hostUserIds,
    totalParticipated; a schema dump of a real archive, find_string id
    42965301669, shows spaces-metadata.js empty).  So every nesting the
    README's words allow is a style here, all made up:
      flat         one element a session: {userId, start, end} (the
                   README's words taken literally; the default)
      nested       one element a person: {userId, sessions: [{start, end}]}
      pairs        {userId, spokenSessions: [[start, end], ...]}
      wrapped      each element wrapped, as every archive item is
                   ({"speaker": {...}}, x-formats 1.3)
      user-object  the person nested: {user: {id}, startTime, endTime}
      map          {"<userId>": [{start, end}, ...]}
      ids          user ids alone (the sessions left out)
    """
    by = {}
    for x in f["speakers"]:
        by.setdefault(x["user_id"], []).append(x)
    if style == "flat":
        return [{"userId": uid(x["user_id"]), "start": ts(x["start"], 0),
                 "end": ts(x["end"], 1)} for x in f["speakers"]]
    if style == "nested":
        return [{"userId": uid(u), "sessions": [
            {"start": ts(x["start"], 0), "end": ts(x["end"], 1)}
            for x in xs]} for u, xs in by.items()]
    if style == "pairs":
        return [{"userId": uid(u), "spokenSessions": [
            [ts(x["start"], 0), ts(x["end"], 1)] for x in xs]}
            for u, xs in by.items()]
    if style == "wrapped":
        return [{"speaker": {"userId": uid(x["user_id"]),
                             "start": ts(x["start"], 0),
                             "end": ts(x["end"], 1)}} for x in f["speakers"]]
    if style == "user-object":
        return [{"user": {"id": uid(x["user_id"])},
                 "startTime": ts(x["start"], 0), "endTime": ts(x["end"], 1)}
                for x in f["speakers"]]
    if style == "map":
        return {u: [{"start": ts(x["start"], 0), "end": ts(x["end"], 1)}
                    for x in xs] for u, xs in by.items()}
    if style == "ids":
        return [uid(u) for u in by]
    die("unknown speakers style %s" % style)


def space_item(f, style, i, a=None):
    """One spaces-metadata.js element in the chosen variation.  Field
    names are the README's (x-formats 1.6 [V]); their types and the
    wrapper key are unverified, so each variation has a style:
      wrapped       {"spacesMetadata": {...}}, ISO instants, ids and
                    counts as strings (as every verified archive file is)
      bare          the object unwrapped
      numbers       ids and counts as JSON numbers
      epoch         epoch milliseconds, as strings and numbers
      epoch-seconds epoch seconds as numbers (what a Unix-time field
                    would hold: made-up values, right dates)
      tweets-dates  the tweets' "Tue Mar 22 19:19:02 +0000 2022" form"""
    a = a or argparse.Namespace(speakers_style="flat", id_key="id",
                                live=False, early=False)

    def uid(s):
        return int(s) if style == "numbers" else s

    def cnt(n):
        return n if style == "numbers" else str(n)

    def ts(ms, k):
        if style == "epoch-seconds":
            return ms // 1000 if ms % 1000 == 0 else ms / 1000.0
        if style == "tweets-dates":
            return tweets_date(ms)
        if style != "epoch":
            return iso(ms)
        # epoch: ms as strings and as numbers, alternating (k, i)
        return str(ms) if (i + k) % 2 == 0 else ms

    o = {
        "id": f["id"],
        "creatorUserId": uid(f["creator_id"]),
        "hostUserIds": [uid(h) for h in f["host_ids"]],
        "speakers": speakers_in(f, a.speakers_style, uid, ts),
        "createdAt": ts(f["created_at"], 0),
        "endedAt": ts(f["ended_at"], 1),
        "totalParticipating": cnt(f["total_participating"]),
        "totalParticipated": cnt(f["total_participated"]),
        "invitedUserIds": [uid(u) for u in f["invited_user_ids"]],
    }
    if i == 0 and a.live:
        # --live: the archive was made while the first Space was on: no
        # end yet, people still in it (README: totalParticipating is
        # "participating in the space when the data archive is generated")
        del o["endedAt"]
        o["totalParticipating"] = cnt(7)
    if i == 0 and a.early:
        # --early-instant: a createdAt before Spaces existed (2019), and an
        # endedAt of 0, the "unset" of many serialisers: made up
        o["createdAt"] = ts(1546300800000, 0)
        o["endedAt"] = 0
    if i == 0 and a.id_key != "id":
        # --id-key: the id under another name, or none (unverified: a
        # renamed field, or a Periscope-era broadcastId)
        sid = o.pop("id")
        if a.id_key != "none":
            o = dict([(a.id_key, sid)] + list(o.items()))
    return o if style == "bare" else {"spacesMetadata": o}


def tweet(i, a):
    tid = str(1627031510963441664 - i * 11590283745361)
    utc = datetime.timezone.utc
    t = datetime.datetime(2023, 2, 18, 19, 45, 15, tzinfo=utc) \
        - datetime.timedelta(hours=7 * i, minutes=13 * i)
    text = ("Space #%d tonight \U0001F399\ufe0f\n\nJoin us: "
            "https://t.co/XOWm3INJng" % (i + 1))
    return {"tweet": {
        "edit_info": {"initial": {"editTweetIds": [tid],
                                  "editableUntil": iso(int(t.timestamp() * 1000)
                                                       + 1800000),
                                  "editsRemaining": "5",
                                  "isEditEligible": i % 2 == 0}},
        "retweeted": False,
        "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">"
                  "Twitter Web App</a>",
        "entities": {"hashtags": [], "symbols": [], "user_mentions": [
            {"name": "Cameron (\U0001F1F5\U0001F1F9)",
             "screen_name": "empathy2000",
             "indices": ["0", "12"], "id_str": "732980797985148928",
             "id": "732980797985148928"}] if i % 3 == 1 else [], "urls": []},
        "display_text_range": ["0", str(len(text))],
        "favorite_count": str(i * 3 + 1),
        "id_str": tid,
        "truncated": False,
        "retweet_count": "0",
        "id": tid,
        "created_at": t.strftime("%a %b %d %H:%M:%S +0000 %Y"),
        "favorited": False,
        "full_text": text,
        "lang": "en",
    }}


def jpeg_chunks(size, rng):
    """Random-looking but seeded JPEG-shaped bytes (SOI, APP0, ..., EOI)."""
    head = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
            b"\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    if size < len(head) + 2:
        yield (head + b"\xff\xd9")[:size]
        return
    yield head
    left = size - len(head) - 2
    while left > 0:
        n = min(left, MiB)
        yield rng.randbytes(n)
        left -= n
    yield b"\xff\xd9"


def walk_adts(b):
    """The ADTS frames of b as (start, length), in order, skipping ID3v2
    tags wherever they are and resyncing over junk (the space-chunks.aac
    fixture holds a partial header on purpose); junk bytes are (i, 0)."""
    i, n = 0, len(b)
    while i < n:
        if b[i:i + 3] == b"ID3" and i + 10 <= n:
            sz = ((b[i + 6] << 21) | (b[i + 7] << 14) | (b[i + 8] << 7)
                  | b[i + 9])
            i += 10 + sz + (10 if b[i + 5] & 0x10 else 0)
            continue
        if b[i] == 0xFF and i + 7 <= n and (b[i + 1] & 0xF6) == 0xF0:
            flen = ((b[i + 3] & 3) << 11) | (b[i + 4] << 3) | (b[i + 5] >> 5)
            sfi = (b[i + 2] >> 2) & 0xF
            if flen >= 7 and i + flen <= n and sfi < len(ADTS_RATES):
                yield i, flen
                i += flen
                continue
        yield i, 0
        i += 1


def scan_adts(b, what):
    """Count ADTS raw data blocks (1024 samples each): (blocks, rate, junk
    bytes)."""
    blocks, rate, junk = 0, None, 0
    for i, flen in walk_adts(b):
        if not flen:
            junk += 1
            continue
        r = ADTS_RATES[(b[i + 2] >> 2) & 0xF]
        if rate is not None and r != rate:
            die("%s: sample rate changes (%d, %d)" % (what, rate, r))
        rate = r
        blocks += (b[i + 6] & 3) + 1
    if not blocks:
        die("%s: no ADTS frames" % what)
    return blocks, rate, junk


# ------------------------------------------------------- HLS-shaped media

PTS_OWNER = b"com.apple.streaming.transportStreamTimestamp"
NTP_UNIX = 2208988800                   # seconds from 1900 to 1970
PTS0 = 0x1C9DDE382                      # the first PTS of space-chunks.aac


def adts_frames(b):
    """The ADTS frames of b, in order, without its ID3 tags and junk."""
    return [b[i:i + flen] for i, flen in walk_adts(b) if flen]


def id3v24(frames):
    def syncsafe(x):
        return bytes([(x >> 21) & 0x7F, (x >> 14) & 0x7F, (x >> 7) & 0x7F,
                      x & 0x7F])
    body = b"".join(fid + syncsafe(len(v)) + b"\x00\x00" + v
                    for fid, v in frames)
    return b"ID3\x04\x00\x00" + syncsafe(len(body)) + body


def hls_chunks(frames, rate, chunk_frames, start_ms, pts0):
    """Yield frames cut into HLS packed-audio chunks as X serves them and
    the archive keeps them (x-formats.md 3.6, 3.9): each chunk opens with
    the PRIV transportStreamTimestamp tag and carries, after its first
    frame, X's Hydra tag whose NTP time is the wall-clock instant of the
    frame after it, counted from start_ms."""
    blocks = 0
    for k in range(0, len(frames), chunk_frames):
        chunk = frames[k:k + chunk_frames]
        pts = (pts0 + blocks * 1024 * 90000 // rate) % (1 << 33)
        out = [id3v24([(b"PRIV", PTS_OWNER + b"\x00"
                        + struct.pack(">Q", pts))]), chunk[0]]
        blocks += 1
        ntp = "%.3f" % (NTP_UNIX + start_ms / 1000.0 + blocks * 1024.0 / rate)
        out.append(id3v24([
            (b"TIT3", b"\x03" + ntp.encode()),
            (b"TXXX", b"\x03JSONMetadata\x00" +
             ('{"HydraVersion":4,"ntp":%s}' % ntp).encode()),
            (b"TXXX", b"\x03HydraParticipants\x00[]"),
            (b"TXXX", b"\x03HydraAudioLevel\x00[0]")]))
        out.extend(chunk[1:])
        blocks += len(chunk) - 1
        yield b"".join(out)


README = """INTRODUCTION
============
This archive was generated at the request of the following user:
- @username at the time the archive was generated: {user}
- Account ID: {id}

Note that the HTML renderer only works if the archive is less than 50GB.

FILE DESCRIPTIONS
=================
spaces-metadata.js
- id: Unique id for the space.
- creatorUserId: The space creator\u2019s Twitter user ID.
- hostUserIds: Twitter user IDs of users that have admin/moderator authorization of this space.
- speakers: Users that have participated in this space.
- createdAt: Space creation time.
- endedAt: Space end time.
- totalParticipating: Total number of users participating in the space when the data archive is generated.
- totalParticipated: Total number of users that have participated in this space.
- invitedUserIds: Twitter user IDs of users that are chosen by the host through space conversation control.
----------------------
spaces_media
Folder containing the spaces audio files created by the account. These files can be viewed by using QuickTime or VLC Media Player (https://www.videolan.org/vlc/).
----------------------
follower.js
- accountId: Unique identifier for the account that follows the archive owner.
- userLink: Link to information about the follower\u2019s profile if accessible to the user.
----------------------
"""

HTML = ('<!doctype html><html><head><meta charset="utf-8"><title>Your Twitter '
        'Data</title><link rel="icon" href="./assets/images/favicon.ico"></head>'
        '<body><div id="root"></div><div id="manifest-error"><p>You need to '
        'unzip your entire archive, not just individual folders, in order to '
        'view them here.</p></div><script>function showManifestError() {\n'
        "        document.getElementById('manifest-error').style.display = "
        "'block';\n      }</script><script src=\"./data/manifest.js\" "
        'onerror="showManifestError()"></script><script src="assets/js/'
        'main.0506aebee0a5b8f83a32.js"></script></body></html>')


# ---------------------------------------------------------------- entries

class Entry:
    """One zip member: name, uncompressed size (None: measure by a dry run
    of chunks()), a chunk-iterator factory, compression and mode."""

    def __init__(self, name, chunks, size=None, deflate=True, mode=0o100644):
        self.name, self._chunks, self._size = name, chunks, size
        self.deflate, self.mode = deflate, mode

    def chunks(self):
        return self._chunks()

    @property
    def size(self):
        if self._size is None:
            self._size = sum(len(c) for c in self._chunks())
        return self._size


def const(b):
    return lambda: iter((b,))


def plan(a, aac):
    """Every entry in archive order, plus the facts for --print-expect."""
    enc = Enc(a)
    js = []                         # data/*.js entries (manifest aside)
    types = {}                      # manifest dataTypes
    expect_faults = []

    def datafile(key, fname, gname, count, chunks, media=None):
        js.append(Entry("data/" + fname, chunks))
        t = types.setdefault(key, {})
        if media:
            t["mediaDirectory"] = media
        t.setdefault("files", []).append({"fileName": "data/" + fname,
                                          "globalName": gname,
                                          "count": str(count)})

    aid = a.account_id
    display = "Spaces Host \u2764\ufe0f\u200d\U0001F525"
    acct = [{"account": {"email": "host@example.com", "createdVia": "web",
                         "username": a.username, "accountId": aid,
                         "createdAt": ACCOUNT_CREATED,
                         "accountDisplayName": display}}]
    datafile("account", "account.js", "YTD.account.part0", 1,
             lambda: enc.ytd("YTD.account.part0", items_of(acct)))

    if a.ageinfo != "none":
        meta = {}
        if a.ageinfo == "birth":
            meta["ageInfo"] = {"age": ["34"], "birthDate": "1990-01-01"}
        elif a.ageinfo == "age-only":
            # the user's age without a birth date: a real 2026 archive's
            # ageInfo holds "age" : [ "46" ] (x-formats 4.3); value made up
            meta["ageInfo"] = {"age": ["34"]}
        meta["inferredAgeInfo"] = {"age": ["13-99"], "birthDate": ""}
        age = [{"ageMeta": meta}]
        datafile("ageinfo", "ageinfo.js", "YTD.ageinfo.part0", 1,
                 lambda: enc.ytd("YTD.ageinfo.part0", items_of(age)))

    # followers, maybe split in files of K items
    fids_head = list(account_id_list(min(a.followers, 4), 1))
    k = a.split_followers or max(a.followers, 1)
    nparts = max(1, -(-a.followers // k))
    for p in range(nparts):
        lo, hi = p * k, min(a.followers, (p + 1) * k)
        fname = "follower.js" if p == 0 else "follower-part%d.js" % p
        gname = "YTD.follower.part%d" % p

        def fchunks(lo=lo, hi=hi, gname=gname, p=p):
            ids = (x for j, x in enumerate(account_id_list(hi, 1)) if j >= lo)
            if a.bad_json and p == 0:
                return enc.ytd(gname, bad_follow_items("follower", ids))
            return enc.ytd(gname, follow_items("follower", ids))
        datafile("follower", fname, gname, hi - lo, fchunks)
    if a.bad_json:
        expect_faults.append({"fault": "bad-json", "entry": "data/follower.js",
                              "valid_items_before_error": 1 if a.followers else 0})

    datafile("following", "following.js", "YTD.following.part0", a.following,
             lambda: enc.ytd("YTD.following.part0", follow_items(
                 "following", account_id_list(a.following, 2))))

    prof = [{"profile": {"description": {
        "bio": "Weekly Spaces about audio & open source \U0001F399\ufe0f",
        "website": "https://t.co/n44CGMQVGL", "location": a.location},
        "avatarMediaUrl": "https://pbs.twimg.com/profile_images/"
                          "1562836797494906880/K_O23TKw.jpg",
        "headerMediaUrl": "https://pbs.twimg.com/profile_banners/%s/1671291348"
                          % aid}}]
    datafile("profile", "profile.js", "YTD.profile.part0", 1,
             lambda: enc.ytd("YTD.profile.part0", items_of(prof)),
             media="data/profile_media")

    if a.periscope:
        # periscope-account-information.js: wrapper and keys from a schema
        # dump of a real archive (find_string id 42965301669:
        # periscopeAccountInformation.{displayName, digitsId, username,
        # twitterId, id, twitterScreenName, isTwitterUser, createdAt}) and
        # X's README ("id: Periscope shell account unique identifier");
        # values made up
        per = [{"periscopeAccountInformation": {
            "displayName": display, "digitsId": "", "username": a.username,
            "twitterId": aid, "id": "1mnxeRzLxqYJX",
            "twitterScreenName": a.username, "isTwitterUser": True,
            "createdAt": "2021-05-02T10:11:12.000Z"}}]
        datafile("periscopeAccountInformation",
                 "periscope-account-information.js",
                 "YTD.periscope_account_information.part0", 1,
                 lambda: enc.ytd("YTD.periscope_account_information.part0",
                                 items_of(per)))

    # spaces-metadata.js
    empty = a.meta_style in ("empty", "empty-one-line")
    facts = [] if empty else spaces_facts(a, fids_head)
    objs = [space_item(f, a.meta_style, i, a) for i, f in enumerate(facts)]
    if a.bad_item:
        at = min(1, len(objs))
        objs.insert(at, 1647976742000)
        expect_faults.append({"fault": "bad-item",
                              "entry": "data/spaces-metadata.js", "index": at})
    raw = "[]" + (";" if a.semicolon else "") \
        if a.meta_style == "empty-one-line" and not objs else None
    datafile("spacesMetadata", "spaces-metadata.js", "YTD.spaces_metadata.part0",
             len(objs), lambda: enc.ytd("YTD.spaces_metadata.part0",
                                        items_of(objs), raw))

    # tweets.js + tweets-part1.js (--data-parts-reversed: part 1 first in
    # the zip; x-formats 1.4: "Records are not ordered across parts", and
    # nothing promises the zip's order either)
    tw = [tweet(i, a) for i in range(a.tweets)]
    half = (len(tw) + 1) // 2
    halves = list(enumerate((tw[:half], tw[half:])))
    for p, part in (halves[::-1] if a.data_parts_reversed else halves):
        fname = "tweets.js" if p == 0 else "tweets-part%d.js" % p
        gname = "YTD.tweets.part%d" % p
        datafile("tweets", fname, gname, len(part),
                 lambda part=part, gname=gname: enc.ytd(gname, items_of(part)),
                 media="data/tweets_media")
    types["tweetsMedia"] = {"mediaDirectory": "data/tweets_media"}
    if a.manifest_spaces_media:
        types["spacesMedia"] = {"mediaDirectory": "data/spaces_media"}

    # media: profile image, filler, Spaces audio
    rng_prof = random.Random("profile-%d" % a.seed)
    prof_media = [Entry("data/profile_media/%s-K_O23TKw.jpg" % aid,
                        const(b"".join(jpeg_chunks(23456, rng_prof))),
                        deflate=a.deflate_media)]

    filler = []
    if a.filler_mb:
        total = int(a.filler_mb * MiB)
        r = random.Random("filler-%d" % a.seed)
        alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
        tid = 1627031510963441664
        while total > 0:
            n = r.randint(200 * 1024, 3 * MiB)
            if total - n < 64 * 1024:
                n = total
            tid -= r.randint(10 ** 12, 10 ** 14)
            name = "data/tweets_media/%d-%s.jpg" % (
                tid, "".join(r.choice(alpha) for _ in range(15)))
            seed = r.getrandbits(64)
            filler.append(Entry(name, lambda n=n, seed=seed: jpeg_chunks(
                n, random.Random(seed)), size=n, deflate=a.deflate_media))
            total -= n

    blocks, rate = aac["blocks"], aac["rate"]
    audio = []
    if a.hls_chunks:
        # --hls-chunks: the frames of --aac (its own tags and junk dropped),
        # re-cut into chunks whose tags say when each part started
        frames = adts_frames(aac["bytes"]) * a.media_repeat
        chunk = max(1, round(a.hls_chunks * rate / 1024))
    # the Space ids the audio files name: the metadata's, or with
    # --media-seed another set (audio and metadata sharing no id)
    media_ids = [x["id"] for x in facts] if a.media_seed is None else \
        space_ids(len(facts) + 1, a.media_seed)[1:]
    for si, f in enumerate(facts):
        f["audio"] = []
        for p in range(a.parts):
            name = "data/spaces_media/" + a.media_name.format(
                id=media_ids[si], n=p)
            nb = blocks * a.media_repeat
            part = {"entry": name, "part": p, "bytes": 0, "frames": nb,
                    "samples": nb * 1024, "sample_rate": rate,
                    "junk_bytes": aac["junk"] * a.media_repeat,
                    "duration": nb * 1024 / rate}
            if a.hls_chunks:
                # part p starts where part p - 1 ended
                t0 = f["created_at"] + round(p * nb * 1024 * 1000 / rate)
                pts0 = PTS0 + si * 0x10000000 + p * nb * 1024 * 90000 // rate

                def chunks(t0=t0, pts0=pts0):
                    return hls_chunks(frames, rate, chunk, t0, pts0)
                e = Entry(name, chunks, deflate=a.deflate_media)
                part["junk_bytes"] = 0
                part["started_at"] = iso(t0)
            else:
                e = Entry(name, lambda: iter([aac["bytes"]] * a.media_repeat),
                          size=len(aac["bytes"]) * a.media_repeat,
                          deflate=a.deflate_media)
            audio.append(e)
            part["bytes"] = e.size
            f["audio"].append(part)

    hostile_top, hostile_media = [], []
    if a.hostile:
        hostile_top = [Entry(n, const(b"evil\n"))
                       for n in ("../evil.txt", "/abs/evil.txt",
                                 "data/../../evil2.txt")]
        hostile_media = [
            Entry("data/spaces_media/link.ts", const(b"/etc/passwd"),
                  deflate=False, mode=0o120777),
            Entry("data/spaces_media/space-../x_0.ts", const(aac["bytes"]),
                  deflate=a.deflate_media)]
        expect_faults.append({"fault": "hostile", "entries": [
            e.name for e in hostile_top + hostile_media],
            "symlinks": {"data/spaces_media/link.ts": "/etc/passwd"}})

    # order: viewer, data files, other media, Spaces audio (last unless
    # --media-last, which moves the other media after it)
    assets = [
        Entry("assets/images/favicon.ico",
              const(b"\x00\x00\x01\x00\x01\x00\x10\x10\x00\x00\x01\x00\x20\x00"
                    + b"\x68\x04\x00\x00\x16\x00\x00\x00" + bytes(1128)),
              deflate=True),
        Entry("assets/js/main.0506aebee0a5b8f83a32.js",
              const(b"(window.webpackJsonp=window.webpackJsonp||[]).push([[0],"
                    b"{}]);\n/* viewer stub for tests */\n")),
    ]
    readme = Entry("data/README.txt", const(
        README.format(user=a.username, id=aid).encode("utf-8")))
    head = [Entry("Your archive.html", const(HTML.encode("utf-8")))] + \
        hostile_top + assets + [readme]
    media = prof_media + filler
    # odd entries under spaces_media/ (names and contents made up)
    odd = []
    if a.html_media:
        # what a failed download saved as audio looks like: an HTML page
        odd.append(Entry("data/spaces_media/space-1eRRorPageXXX_0.ts",
                         const(HTML.encode("utf-8"))))
    if a.unnamed_media:
        # a file whose name gives no Space (README: spaces_media holds
        # "the spaces audio files created by the account", names unsaid)
        odd.append(Entry("data/spaces_media/recording 1.m4a",
                         const(aac["bytes"]), deflate=a.deflate_media))
    if a.fifo_media:
        # a FIFO where a part should be (S_IFIFO in the external attributes)
        odd.append(Entry("data/spaces_media/space-1FiFoFiFoFiFo_0.ts",
                         const(b""), deflate=False, mode=0o010644))
    if a.evil_name:
        # terminal control sequences in an entry's name (issue 19 item 19)
        odd.append(Entry("data/spaces_media/\x1b]0;pwned\x07\r\x1b[2J.ts",
                         const(HTML.encode("utf-8"))))
    if a.dup_media and audio:
        # the same part twice (a zip may hold one name twice)
        odd.append(Entry(audio[0].name, audio[0]._chunks,
                         deflate=a.deflate_media))
    spaces = hostile_media + audio + odd
    tail = media + spaces if not a.media_last else spaces + media

    if not a.no_manifest:
        others = head + js + tail
        size_bytes = sum(e.size for e in others)
        man = {
            "userInfo": {"accountId": aid, "userName": a.username,
                         "displayName": display},
            "archiveInfo": {"sizeBytes": str(size_bytes),
                            "generationDate": GENERATED,
                            "isPartialArchive": False,
                            "maxPartSizeBytes": "53687091200"},
            "readmeInfo": {"fileName": "data/README.txt", "directory": "data/",
                           "name": "README.txt"},
            "dataTypes": types,
        }
        if a.partial_archive:
            # --partial-archive: archiveInfo's keys are verified (rust
            # crate manifest.rs, a real 2023 archive: isPartialArchive,
            # maxPartSizeBytes "53687091200" = 50 GiB, sizeBytes); what a
            # split archive's values look like is not: made up, 120 GB
            # in parts of 50 GiB, so three parts
            man["archiveInfo"]["isPartialArchive"] = True
            man["archiveInfo"]["sizeBytes"] = "120000000000"
        text = "window.__THAR_CONFIG = " + pretty(man) + \
            (";" if a.semicolon else "") + "\n"
        mbytes = (b"\xef\xbb\xbf" if a.bom else b"") + enc.text(text)
        head.append(Entry("data/manifest.js", const(mbytes)))

    entries = head + js + tail
    if a.dir_entries:
        dirs = sorted({e.name[:i + 1] for e in entries if ".." not in e.name
                       and not e.name.startswith("/")
                       for i, ch in enumerate(e.name) if ch == "/"})
        entries = [Entry(d, const(b""), deflate=False, mode=0o40755)
                   for d in dirs] + entries

    user = {"id": aid, "username": a.username, "display_name": display,
            "created_at": ACCOUNT_CREATED, "following_count": a.following,
            "location": a.location}
    if not a.bad_json:
        user["followers_count"] = a.followers
    if a.ageinfo == "birth":
        user["birth_date"] = "1990-01-01"
    elif a.ageinfo == "age-only":
        user["age"] = 34
    if a.periscope:
        user["periscope_id"] = "1mnxeRzLxqYJX"
    spaces_out = []
    for f in facts:
        s = dict(f)
        s["created_at"], s["ended_at"] = iso(f["created_at"]), iso(f["ended_at"])
        # as spaces-archive-extract gives them: one entry a person
        by = {}
        for x in f["speakers"]:
            by.setdefault(x["user_id"], []).append(
                {"started_at": iso(x["start"]), "ended_at": iso(x["end"])})
        # and DESIGN's core start and end: first spoken, last stopped
        s["speakers"] = [{"user_id": u, "sessions": xs,
                          "start": min(x["started_at"] for x in xs),
                          "end": max(x["ended_at"] for x in xs)}
                         for u, xs in by.items()]
        s["speaker_ids"] = list(by)
        spaces_out.append(s)
    return entries, {"user": user, "spaces": spaces_out}, expect_faults


# ---------------------------------------------------------------- writing

class NoSeek:
    """A write-only view of a file: zipfile then uses data descriptors."""

    def __init__(self, f):
        self.f, self.pos = f, 0

    def write(self, b):
        self.pos += len(b)
        return self.f.write(b)

    def tell(self):
        return self.pos

    def flush(self):
        self.f.flush()


def write_zip(path, entries, a):
    with open(path, "wb") as f:
        out = NoSeek(f) if a.data_descriptor else f
        with zipfile.ZipFile(out, "w", allowZip64=True) as zf:
            for e in entries:
                zi = zipfile.ZipInfo(e.name, ZIP_TIME)
                zi.create_system = 3
                zi.external_attr = e.mode << 16
                if e.mode & 0o170000 == 0o040000:
                    zi.external_attr |= 0x10        # MS-DOS directory bit
                zi.compress_type = zipfile.ZIP_DEFLATED if e.deflate \
                    else zipfile.ZIP_STORED
                zi.file_size = e.size            # lets zipfile pick ZIP64
                with zf.open(zi, "w", force_zip64=a.zip64) as w:
                    for c in e.chunks():
                        w.write(c)


def read_cd(path):
    """Parse the central directory: (records, cd_offset).  Each record has
    name, pos (of its central header), header_offset, csize, usize, crc,
    flags, method, mode, raw (bytes of the central header)."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        n = min(size, 22 + 65535 + 76)
        f.seek(size - n)
        tail = f.read()
        k = tail.rfind(b"PK\x05\x06")
        if k < 0:
            die("%s: no end of central directory" % path)
        _, _, _, _, count, cd_size, cd_off, _ = struct.unpack(
            "<IHHHHIIH", tail[k:k + 22])
        if k >= 20 and tail[k - 20:k - 16] == b"PK\x06\x07":
            z64 = struct.unpack("<Q", tail[k - 12:k - 4])[0]
            f.seek(z64)
            r = struct.unpack("<IQHHIIQQQQ", f.read(56))
            count, cd_size, cd_off = r[7], r[8], r[9]
        f.seek(cd_off)
        cd = f.read(cd_size)
    recs, i = [], 0
    while i < len(cd):
        (sig, vmade, vneed, flags, method, _, _, crc, csize, usize, nlen, xlen,
         clen, _, _, eattr, off) = struct.unpack("<IHHHHHHIIIHHHHHII",
                                                 cd[i:i + 46])
        if sig != 0x02014b50:
            die("%s: bad central header at %d" % (path, cd_off + i))
        name = cd[i + 46:i + 46 + nlen].decode("utf-8", "replace")
        extra = cd[i + 46 + nlen:i + 46 + nlen + xlen]
        j = 0
        while j + 4 <= len(extra):
            hid, hlen = struct.unpack("<HH", extra[j:j + 4])
            if hid == 1:
                v, q = extra[j + 4:j + 4 + hlen], 0
                if usize == 0xFFFFFFFF:
                    usize = struct.unpack("<Q", v[q:q + 8])[0]
                    q += 8
                if csize == 0xFFFFFFFF:
                    csize = struct.unpack("<Q", v[q:q + 8])[0]
                    q += 8
                if off == 0xFFFFFFFF:
                    off = struct.unpack("<Q", v[q:q + 8])[0]
            j += 4 + hlen
        n = 46 + nlen + xlen + clen
        recs.append({"name": name, "pos": cd_off + i, "header_offset": off,
                     "csize": csize, "usize": usize, "crc": crc,
                     "flags": flags, "method": method, "mode": eattr >> 16,
                     "vmade": vmade, "vneed": vneed, "raw": cd[i:i + n],
                     "nlen": nlen, "xlen": xlen})
        i += n
    return recs, cd_off


def entry_end(f, r):
    """Offset just past an entry's data (and data descriptor)."""
    f.seek(r["header_offset"] + 26)
    nlen, xlen = struct.unpack("<HH", f.read(4))
    data = r["header_offset"] + 30 + nlen + xlen
    end = data + r["csize"]
    if r["flags"] & 8:
        f.seek(end)
        sig = f.read(4) == b"PK\x07\x08"
        z64 = r["vneed"] >= 45
        end += (4 if sig else 0) + (20 if z64 else 12)
    return data, end


def force_zip64_cd(path):
    """Rewrite the central directory with a ZIP64 extra field on every
    entry and a ZIP64 end record (zipfile adds them only when needed)."""
    recs, cd_off = read_cd(path)
    out = []
    for r in recs:
        raw = r["raw"]
        nlen, xlen = r["nlen"], r["xlen"]
        extra, keep, j = raw[46 + nlen:46 + nlen + xlen], b"", 0
        while j + 4 <= len(extra):
            hid, hlen = struct.unpack("<HH", extra[j:j + 4])
            if hid != 1:
                keep += extra[j:j + 4 + hlen]
            j += 4 + hlen
        z = struct.pack("<HHQQQ", 1, 24, r["usize"], r["csize"],
                        r["header_offset"])
        fixed = bytearray(raw[:46])
        struct.pack_into("<HH", fixed, 4, (r["vmade"] & 0xFF00) | max(
            45, r["vmade"] & 0xFF), max(45, r["vneed"]))
        struct.pack_into("<II", fixed, 20, 0xFFFFFFFF, 0xFFFFFFFF)
        struct.pack_into("<H", fixed, 30, len(z) + len(keep))
        struct.pack_into("<I", fixed, 42, 0xFFFFFFFF)
        out.append(bytes(fixed) + raw[46:46 + nlen] + z + keep +
                   raw[46 + nlen + xlen:])
    cd = b"".join(out)
    with open(path, "r+b") as f:
        f.seek(cd_off)
        f.truncate()
        f.write(cd)
        z64 = cd_off + len(cd)
        f.write(struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, 0x032D, 45, 0, 0,
                            len(recs), len(recs), len(cd), cd_off))
        f.write(struct.pack("<IIQI", 0x07064b50, 0, z64, 1))
        f.write(struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 0xFFFF, 0xFFFF,
                            0xFFFFFFFF, 0xFFFFFFFF, 0))


def bad_crc(path, name):
    recs, _ = read_cd(path)
    r = next((x for x in recs if x["name"] == name), None)
    if r is None:
        die("--bad-crc: no entry %s" % name)
    bad = r["crc"] ^ 0x5A5A5A5A
    with open(path, "r+b") as f:
        f.seek(r["pos"] + 16)
        f.write(struct.pack("<I", bad))
        if r["flags"] & 8:      # CRC lives in the data descriptor
            data, _ = entry_end(f, r)
            f.seek(data + r["csize"])
            at = data + r["csize"] + (4 if f.read(4) == b"PK\x07\x08" else 0)
        else:
            at = r["header_offset"] + 14
        f.seek(at)
        f.write(struct.pack("<I", bad))
    return r["crc"], bad


# ---------------------------------------------------------------- main

def main():
    p = argparse.ArgumentParser(
        description="Build an X data archive zip for tests and benches.",
        epilog="Faults (--hostile --bad-crc --truncate --bad-json --bad-item) "
               "damage one thing each; the rest stays valid.")
    p.add_argument("out", metavar="OUT.zip")
    g = p.add_argument_group("records")
    g.add_argument("--account-id", default="111111111")
    g.add_argument("--username", default="SpacesHost")
    g.add_argument("--followers", type=int, default=3, metavar="N")
    g.add_argument("--split-followers", type=int, default=0, metavar="K",
                   help="follower.js, follower-part1.js ... of K items each")
    g.add_argument("--following", type=int, default=1, metavar="N")
    g.add_argument("--location", default="Austin, TX", metavar="TEXT")
    g.add_argument("--ageinfo", choices=("birth", "age-only",
                                         "inferred-only", "none"),
                   default="birth")
    g.add_argument("--periscope", action="store_true",
                   help="add periscope-account-information.js")
    g.add_argument("--tweets", type=int, default=4, metavar="N",
                   help="tweets, split over tweets.js and tweets-part1.js")
    g = p.add_argument_group("Spaces")
    g.add_argument("--spaces", type=int, default=2, metavar="N",
                   help="Spaces in spaces-metadata.js (default 2)")
    g.add_argument("--meta-style", default="wrapped",
                   choices=("wrapped", "bare", "numbers", "epoch",
                            "epoch-seconds", "tweets-dates", "empty",
                            "empty-one-line"))
    g.add_argument("--speakers-style", default="flat",
                   choices=("flat", "nested", "pairs", "wrapped",
                            "user-object", "map", "ids"),
                   help="how speakers are nested (see speakers_in)")
    g.add_argument("--id-key", default="id",
                   choices=("id", "spaceId", "broadcastId", "none"),
                   help="the first Space's id under this key (none: no id)")
    g.add_argument("--live", action="store_true",
                   help="the first Space was live when the archive was made")
    g.add_argument("--early-instant", dest="early", action="store_true",
                   help="the first Space: createdAt in 2019, endedAt 0")
    g.add_argument("--media-name", default="space-{id}_{n}.ts",
                   metavar="FMT", help="audio file names under "
                   "data/spaces_media/ ({id}, {n}); default: the real "
                   "space-{id}_{n}.ts")
    g.add_argument("--media-seed", type=int, metavar="S",
                   help="audio named for other Space ids than the "
                        "metadata's (sharing none)")
    g.add_argument("--html-media", action="store_true",
                   help="a spaces_media entry that is an HTML page")
    g.add_argument("--unnamed-media", action="store_true",
                   help="audio under a name that gives no Space")
    g.add_argument("--fifo-media", action="store_true",
                   help="a FIFO entry under spaces_media/")
    g.add_argument("--evil-name", action="store_true",
                   help="an entry name with terminal control sequences")
    g.add_argument("--dup-media", action="store_true",
                   help="the first audio part twice")
    g.add_argument("--parts", type=int, default=1, metavar="P",
                   help="audio parts per Space (space-<id>_0.ts ...)")
    g.add_argument("--aac", default=DEFAULT_AAC, metavar="FILE",
                   help="ADTS AAC copied into each part")
    g.add_argument("--media-repeat", type=int, default=1, metavar="R",
                   help="copies of --aac per part")
    g.add_argument("--hls-chunks", type=float, default=0, metavar="S",
                   help="re-cut the frames of --aac (a plain ADTS file will "
                        "do) into HLS chunks of S seconds with X's PRIV and "
                        "Hydra tags, timed from the Space's createdAt, "
                        "instead of copying its bytes")
    g = p.add_argument_group("layout and encoding")
    g.add_argument("--no-manifest", action="store_true")
    g.add_argument("--partial-archive", action="store_true",
                   help="the manifest says isPartialArchive (3 parts)")
    g.add_argument("--data-parts-reversed", action="store_true",
                   help="tweets-part1.js before tweets.js in the zip")
    g.add_argument("--manifest-spaces-media", action="store_true",
                   help='add dataTypes.spacesMedia (UNVERIFIED key)')
    g.add_argument("--bom", action="store_true", help="UTF-8 BOM on data/*.js")
    g.add_argument("--crlf", action="store_true", help="CRLF in data/*.js")
    g.add_argument("--semicolon", action="store_true",
                   help="a trailing ; in data/*.js")
    g.add_argument("--no-header", action="store_true",
                   help="data files are a bare JSON array")
    g.add_argument("--filler-mb", type=float, default=0, metavar="M",
                   help="M MiB of data/tweets_media/*.jpg")
    g.add_argument("--media-last", action="store_true",
                   help="other media after data/spaces_media (default: before)")
    g.add_argument("--deflate-media", action="store_true")
    g.add_argument("--zip64", action="store_true",
                   help="ZIP64 extra fields on every entry and a ZIP64 end")
    g.add_argument("--data-descriptor", action="store_true",
                   help="write as to a pipe: sizes and CRC after the data")
    g.add_argument("--dir-entries", action="store_true",
                   help="add directory entries (data/, ...)")
    g.add_argument("--seed", type=int, default=1,
                   help="varies Space ids and media bytes")
    g = p.add_argument_group("faults")
    g.add_argument("--hostile", action="store_true",
                   help="add ../evil.txt, /abs/evil.txt, data/../../evil2.txt, "
                        "symlink data/spaces_media/link.ts -> /etc/passwd, "
                        "data/spaces_media/space-../x_0.ts")
    g.add_argument("--bad-crc", action="store_true",
                   help="wrong CRC for the first spaces_media part")
    g.add_argument("--truncate", type=int, metavar="BYTES",
                   help="cut to BYTES (negative: drop -BYTES from the end)")
    g.add_argument("--bad-json", action="store_true",
                   help="data/follower.js: one item, then text that is not JSON")
    g.add_argument("--bad-item", action="store_true",
                   help="a number as item 1 of spaces-metadata.js (inserted)")
    p.add_argument("--print-expect", action="store_true",
                   help="print a JSON description of the archive to stdout")
    a = p.parse_args()

    for k in ("followers", "following", "tweets", "spaces", "parts",
              "split_followers"):
        if getattr(a, k) < 0:
            die("--%s must be >= 0" % k.replace("_", "-"))
    if a.media_repeat < 1:
        die("--media-repeat must be >= 1")
    if a.filler_mb < 0:
        die("--filler-mb must be >= 0")
    if a.hls_chunks < 0:
        die("--hls-chunks must be >= 0")

    aac = {"bytes": b"", "blocks": 0, "rate": 48000, "junk": 0}
    need_aac = a.spaces and a.parts and a.meta_style not in (
        "empty", "empty-one-line") or a.hostile or a.unnamed_media
    if need_aac:
        try:
            with open(a.aac, "rb") as f:
                aac["bytes"] = f.read()
        except OSError as e:
            die("cannot read '%s': %s (pass --aac FILE)" % (a.aac, e.strerror))
        aac["blocks"], aac["rate"], aac["junk"] = scan_adts(aac["bytes"], a.aac)

    entries, facts, faults = plan(a, aac)
    write_zip(a.out, entries, a)
    if a.zip64:
        force_zip64_cd(a.out)

    if a.bad_crc:
        target = next((e.name for e in entries if
                       e.name.startswith("data/spaces_media/space-")
                       and e.mode == 0o100644 and "/space-../" not in e.name),
                      None)
        if target is None:
            die("--bad-crc needs a Space audio part (--spaces, --parts)")
        good, bad = bad_crc(a.out, target)
        faults.append({"fault": "bad-crc", "entry": target,
                       "crc": "%08x" % good, "written_crc": "%08x" % bad})

    recs, cd_off = read_cd(a.out)
    size = os.path.getsize(a.out)
    listing = []
    with open(a.out, "rb") as f:
        for r in recs:
            _, end = entry_end(f, r)
            r["end"] = end
            listing.append({"name": r["name"], "bytes": r["usize"],
                            "compressed": r["csize"],
                            "method": {0: "stored", 8: "deflated"}.get(
                                r["method"], r["method"]),
                            "mode": "%o" % r["mode"],
                            "offset": r["header_offset"]})
    if a.truncate is not None:
        cut = a.truncate if a.truncate >= 0 else size + a.truncate
        if not 0 <= cut < size:
            die("--truncate %d: the archive is %d bytes" % (a.truncate, size))
        with open(a.out, "r+b") as f:
            f.truncate(cut)
        faults.append({"fault": "truncate", "size": cut, "was": size,
                       "central_directory_offset": cd_off,
                       "intact_entries": [r["name"] for r in recs
                                          if r["end"] <= cut]})
        size = cut

    if a.print_expect:
        hard = {"bad-crc", "truncate", "bad-json"}
        kinds = {x["fault"] for x in faults}
        exp = {"archive": os.path.basename(a.out), "bytes": size,
               "user": facts["user"], "spaces": facts["spaces"],
               "manifest": not a.no_manifest, "entries": listing,
               "faults": faults,
               # exit status the issue prescribes; null: not prescribed
               "exit": 2 if kinds & hard else (0 if not kinds else None)}
        json.dump(exp, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")


if __name__ == "__main__":
    main()
