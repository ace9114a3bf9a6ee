#!/usr/bin/env python3
"""gen-hydra.py: a Space with three people and X's Hydra tags in its audio.

    python3 tests/gen-hydra.py [options] OUT.aac >records.ndjson

Writes OUT.aac: real ADTS AAC (the frames of --aac FILE, default
tests/data/aac/speech-3s.aac, repeated to --duration seconds) with an ID3v2.4
tag before the frame that starts each tag interval (--interval, 1 s as X
does, x-formats.md 4.3), holding what X's tags hold (x-formats.md 1.6, 4.3;
peers.md 1.2): TIT3 and TXXX JSONMetadata with the NTP time of the frame
after the tag, TXXX HydraParticipants (the people on stage other than the
host, entries {"UserId","UserName"} as third-party readers parse them, plus
a member they do not know) and TXXX HydraAudioLevel (slot 0 the host, slot
i + 1 participant i; the one speaking 20-60, the others 0, or a murmur below
8 now and then).

The script of who speaks is seeded: turns of 4-20 s, a short pause (0-1.5 s)
or a longer one (3 s) between them.  Guests join the stage before their first
turn and leave after their last.

stdout: a space record (source archive, speakers in the issue-14 shape or
--flat as DESIGN writes them, audio[0] with this file and the wall clock of
its first sample) and user records.  --truth FILE: the script as JSON
{"interval":…, "rate":…, "turns":[{"user_id","username","start","end"}]} in
seconds of the file.  Standard library only.
"""

import argparse
import datetime
import json
import os
import random
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NTP_UNIX = 2208988800
START_MS = 1772449200000                     # 2026-03-02T11:00:00.000Z
SPACE_ID = "1OwxWzLbQvXGQ"
PEOPLE = [("111111111", "SpacesHost"), ("222222222", "alice"),
          ("333333333", "bob")]
RATES = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050,
         16000, 12000, 11025, 8000, 7350)


def iso(ms):
    t = datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % (ms % 1000)


def frames_of(b):
    """The ADTS frames of b without its ID3 tags, and the sample rate."""
    out, i, rate = [], 0, None
    while i + 7 <= len(b):
        if b[i:i + 3] == b"ID3" and i + 10 <= len(b):
            sz = (b[i + 6] << 21) | (b[i + 7] << 14) | (b[i + 8] << 7) | b[i + 9]
            i += 10 + sz
            continue
        if b[i] == 0xFF and (b[i + 1] & 0xF6) == 0xF0:
            n = ((b[i + 3] & 3) << 11) | (b[i + 4] << 3) | (b[i + 5] >> 5)
            if n >= 7 and i + n <= len(b):
                rate = RATES[(b[i + 2] >> 2) & 0xF]
                out.append(b[i:i + n])
                i += n
                continue
        i += 1
    if not out:
        sys.exit("gen-hydra.py: no ADTS frames")
    return out, rate


def syncsafe(x):
    return bytes([(x >> 21) & 0x7F, (x >> 14) & 0x7F, (x >> 7) & 0x7F,
                  x & 0x7F])


def id3(frames):
    body = b"".join(fid + syncsafe(len(v)) + b"\x00\x00" + v
                    for fid, v in frames)
    return b"ID3\x04\x00\x00" + syncsafe(len(body)) + body


def txxx(desc, value):
    return (b"TXXX", b"\x03" + desc.encode() + b"\x00" + value.encode())


def script(duration, rng):
    """Turns [(who, start, end)] over [0, duration)."""
    turns, t, last = [], 0.5, None
    while True:
        who = rng.choice([i for i in range(3) if i != last])
        length = rng.uniform(4, 20)
        if t + length > duration - 0.5:
            break
        turns.append((who, round(t, 3), round(t + length, 3)))
        last = who
        t += length + (3.0 if rng.random() < 0.25 else rng.uniform(0, 1.5))
    return turns


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--aac", default=os.path.join(HERE, "data", "aac",
                                                 "speech-3s.aac"))
    p.add_argument("--duration", type=float, default=180)
    p.add_argument("--interval", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=15)
    p.add_argument("--flat", action="store_true",
                   help="speakers as DESIGN's flat {user_id,start,end}")
    p.add_argument("--truth", metavar="FILE")
    a = p.parse_args()

    src, rate = frames_of(open(a.aac, "rb").read())
    rng = random.Random(a.seed)
    turns = script(a.duration, rng)
    # The stage: guests from 3 s before their first turn to 3 s after
    # their last (the host throughout).
    stage = {}
    for who, s, e in turns:
        if who:
            lo, hi = stage.get(who, (s, e))
            stage[who] = (min(lo, s), max(hi, e))
    stage = {w: (max(0.0, lo - 3), min(a.duration, hi + 3))
             for w, (lo, hi) in stage.items()}

    nframes = int(a.duration * rate / 1024)
    next_tag = 0.0
    tmp = a.out + ".tmp"
    with open(tmp, "wb") as f:
        for k in range(nframes):
            t = k * 1024.0 / rate
            if t >= next_tag:
                next_tag += a.interval
                ntp = "%.3f" % (NTP_UNIX + START_MS / 1000.0 + t)
                on = [w for w in (1, 2) if stage.get(w, (1e18, 0))[0] <= t
                      < stage.get(w, (0, -1))[1]]
                speaking = [w for w, s, e in turns if s <= t < e]
                parts = [{"UserId": PEOPLE[w][0], "UserName": PEOPLE[w][1],
                          "Role": "speaker"} for w in on]
                levels = []
                for w in [0] + on:
                    if w in speaking:
                        levels.append(rng.randint(20, 60))
                    elif rng.random() < 0.1:
                        levels.append(rng.randint(1, 7))
                    else:
                        levels.append(0)
                f.write(id3([
                    (b"TIT3", b"\x03" + ntp.encode()),
                    txxx("JSONMetadata",
                         '{"HydraVersion":4,"ntp":%s}' % ntp),
                    txxx("HydraParticipants",
                         json.dumps(parts, separators=(",", ":"))),
                    txxx("HydraAudioLevel",
                         json.dumps(levels, separators=(",", ":")))]))
            f.write(src[k % len(src)])
    os.replace(tmp, a.out)

    end_ms = START_MS + int(round(nframes * 1024 * 1000 / rate))
    sessions = {0: [(0.0, nframes * 1024.0 / rate)]}
    for w, (lo, hi) in stage.items():
        sessions[w] = [(lo, hi)]

    def at(sec):
        return iso(START_MS + int(round(sec * 1000)))
    if a.flat:
        speakers = [{"user_id": PEOPLE[w][0], "start": at(s), "end": at(e)}
                    for w in sorted(sessions) for s, e in sessions[w]]
    else:
        speakers = [{"user_id": PEOPLE[w][0],
                     "sessions": [{"started_at": at(s), "ended_at": at(e)}
                                  for s, e in sessions[w]]}
                    for w in sorted(sessions)]
    space = {"type": "space", "id": SPACE_ID, "state": "ended",
             "creator_id": PEOPLE[0][0], "host_ids": [PEOPLE[0][0]],
             "created_at": iso(START_MS - 60000), "started_at": iso(START_MS),
             "ended_at": iso(end_ms), "speakers": speakers,
             "speaker_ids": [PEOPLE[w][0] for w in sorted(sessions)],
             "speakers_complete": True,
             "audio": [{"path": os.path.basename(a.out),
                        "started_at": iso(START_MS),
                        "duration": nframes * 1024.0 / rate}],
             "source": "archive"}
    print(json.dumps(space, separators=(",", ":")))
    for uid, name in PEOPLE:
        print(json.dumps({"type": "user", "id": uid, "username": name,
                          "source": "archive"}, separators=(",", ":")))
    if a.truth:
        with open(a.truth, "w") as f:
            json.dump({"interval": a.interval, "rate": rate,
                       "frames": nframes,
                       "turns": [{"user_id": PEOPLE[w][0],
                                  "username": PEOPLE[w][1], "start": s,
                                  "end": e} for w, s, e in turns]}, f)
            f.write("\n")


if __name__ == "__main__":
    main()
