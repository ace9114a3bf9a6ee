#!/usr/bin/env python3
"""gen-consent.py: a long Space's speaker timeline, clips and consent ledger.

    python3 tests/gen-consent.py [options] DIR

Writes into DIR, in the record shapes of DESIGN.md section 2:

  turns.ndjson   turn records as spaces-speakers(1) prints them (basis
                 stream, superseding the archive's sessions): one floor at a
                 time, the host and co-hosts often, guests who come up to the
                 stage (at most 13 on it, host included, as X allows) for a
                 while and leave; turns of 2-15 s, now and then a monologue
                 of 1-3 minutes, pauses of 0-1.5 s or 3 s.
  records.ndjson the space record (creator_id: the host) and a user record
                 for everyone heard.
  clips.ndjson   --clips clip records {"type","start","end","title","path"},
                 15 s to 3 min each, anywhere in the audio.
  ledger.ndjson  the host's consent ledger over many Spaces: for this
                 Space's guests a mix of grants for every Space or this one,
                 for clips or all uses, by id or by @name only; grants for
                 the podcast only; grants later revoked (for this Space or
                 every one); revokes later granted again; nobody at all for
                 some; and --noise records over the year before, about other
                 people and about these guests (other Spaces, or all).

Who lacks consent (--refused: that share of the guests heard) is drawn among
the guests who speak least, so that the answers of a check with --use clips
are mixed (by default about a third of the clips refused).  Seeded
(--seed): the same options, the same files.  Standard library only.
"""

import argparse
import datetime
import json
import os
import random

START_MS = 1772449200000                     # 2026-03-02T11:00:00.000Z
SPACE_ID = "1OwxWzLbQvXGQ"
HOST = ("111111111", "SpacesHost")


def iso(ms):
    t = datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % (ms % 1000)


def dump(path, recs):
    with open(path, "w") as f:
        for r in recs:
            f.write(json.dumps(r, separators=(",", ":")) + "\n")


def people(rng, n):
    """n guests and two co-hosts: (id, name), ids as X's snowflakes."""
    out, seen = [], set()
    while len(out) < n + 2:
        uid = str(rng.randrange(10 ** 17, 19 * 10 ** 17))
        if uid in seen:
            continue
        seen.add(uid)
        name = "%s%s%d" % (rng.choice(["maya", "dev", "the", "real", "sam",
                                       "jo", "crypto", "pod", "ana", "kai"]),
                           rng.choice(["_", "", "x"]), rng.randrange(1, 9999))
        out.append((uid, name))
    return out[:2], out[2:]


def timeline(rng, duration, cohosts, guests):
    """Turns [(person, start, end)], one floor; who was on the stage."""
    stage = {}                         # guest -> leaves at (s)
    weight = {g: rng.choice([0.2, 0.5, 1, 1, 2, 4]) for g in guests}
    waiting = list(guests)
    rng.shuffle(waiting)
    turns, t = [], rng.uniform(0.5, 2.0)
    while t < duration - 2:
        for g in [g for g, leave in stage.items() if leave <= t]:
            del stage[g]
        # Guests come up while there is room (13 on stage with the host
        # and the co-hosts).
        while waiting and len(stage) < 10 and rng.random() < 0.3:
            g = waiting.pop()
            stage[g] = t + rng.uniform(300, 3600)
        r = rng.random()
        if r < 0.22 or not stage:
            who = HOST
        elif r < 0.34:
            who = rng.choice(cohosts)
        else:
            g = list(stage)
            who = rng.choices(g, weights=[weight[x] for x in g])[0]
        if turns and turns[-1][0] == who:
            who = HOST if who != HOST else rng.choice(cohosts)
        r = rng.random()
        if r < 0.02:
            n = rng.uniform(60, 180)
        elif r < 0.30:
            n = rng.uniform(2, 4)
        else:
            n = rng.uniform(4, 15)
        end = min(t + n, duration)
        turns.append((who, round(t, 3), round(end, 3)))
        t = end + (rng.uniform(0, 1.5) if rng.random() < 0.8 else 3.0)
    return turns


def turn_record(who, start, end):
    rec = {"type": "turn", "space_id": SPACE_ID, "user_id": who[0],
           "username": who[1]}
    if who == HOST:
        rec["role"] = "host"
    rec.update({"start": start, "end": end,
                "started_at": iso(START_MS + round(start * 1000)),
                "ended_at": iso(START_MS + round(end * 1000)),
                "basis": "stream", "supersedes": "archive"})
    return rec


def consent(action, who, at, space="*", use="all", evidence=None,
            by_name=False):
    rec = {"type": "consent", "action": action}
    if by_name:
        rec["username"] = who[1]
    else:
        rec["user_id"] = who[0]
    rec.update({"space_id": space, "use": use, "at": iso(at)})
    if evidence:
        rec["evidence"] = evidence
    rec["source"] = "user"
    return rec


def ledger(rng, cohosts, guests, spoken, refused, noise):
    """The ledger's records, in the order written, and who lacks consent."""
    day = 86400000
    recs = []
    # Noise: other people and Spaces over the year before.
    others = [(str(rng.randrange(10 ** 17, 19 * 10 ** 17)),
               "guest%d" % i) for i in range(max(noise // 3, 1))]
    spaces = ["1%s" % "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdef"
                                         "ghijkmnopqrstuvwxyz")
                              for _ in range(12)) for _ in range(60)]
    for i in range(noise):
        who = rng.choice(others + guests)
        at = START_MS - rng.randrange(2 * day, 365 * day)
        sid = rng.choice(spaces) if rng.random() < 0.7 else "*"
        action = "grant" if rng.random() < 0.85 else "revoke"
        recs.append((at, consent(action, who, at, sid,
                                 rng.choice(["clips", "podcast", "all"]),
                                 "DM %s" % iso(at)[:10],
                                 rng.random() < 0.2)))
    # This Space: the least heard guests lack consent, for about refused
    # of the clips; the others consented one way or another.
    quiet = sorted((g for g in guests if g in spoken),
                   key=lambda g: spoken[g])
    lacking = set(quiet[:max(1, int(len(quiet) * refused))])
    for who in cohosts:
        at = START_MS - rng.randrange(30 * day, 300 * day)
        recs.append((at, consent("grant", who, at, evidence="co-host "
                                 "agreement %s" % iso(at)[:10])))
    for who in guests:
        at = START_MS - rng.randrange(3600000, 20 * day)
        ev = "https://x.com/%s/status/%d" % (who[1],
                                            rng.randrange(10 ** 18, 10 ** 19))
        if who in lacking:
            k = rng.randrange(4)
            if k == 0:
                pass                                    # never asked
            elif k == 1:                                # podcast only
                recs.append((at, consent("grant", who, at, SPACE_ID,
                                         "podcast", ev)))
            elif k == 2:                                # revoked here
                recs.append((at, consent("grant", who, at, "*", "all", ev)))
                at2 = START_MS + rng.randrange(3600000, 3 * day)
                recs.append((at2, consent("revoke", who, at2, SPACE_ID,
                                          "all", "DM %s" % iso(at2)[:10])))
            else:                                       # revoked everywhere
                recs.append((at, consent("grant", who, at, SPACE_ID,
                                         "clips", ev, True)))
                at2 = START_MS + rng.randrange(3600000, 3 * day)
                recs.append((at2, consent("revoke", who, at2, "*", "all",
                                          "DM %s" % iso(at2)[:10])))
            continue
        k = rng.randrange(4)
        if k == 0:
            recs.append((at, consent("grant", who, at, "*", "all", ev)))
        elif k == 1:
            recs.append((at, consent("grant", who, at, SPACE_ID, "clips",
                                     ev)))
        elif k == 2:
            recs.append((at, consent("grant", who, at, SPACE_ID, "all", ev,
                                     True)))
        else:                                           # revoked, regranted
            recs.append((at, consent("revoke", who, at, "*", "all", ev)))
            at2 = START_MS + rng.randrange(3600000, 3 * day)
            recs.append((at2, consent("grant", who, at2, SPACE_ID, "clips",
                                      "DM %s" % iso(at2)[:10])))
    recs.sort(key=lambda r: r[0])
    return [r for _, r in recs], lacking


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--duration", type=float, default=10800)
    ap.add_argument("--guests", type=int, default=60)
    ap.add_argument("--clips", type=int, default=1000)
    ap.add_argument("--noise", type=int, default=2000)
    ap.add_argument("--refused", type=float, default=0.4)
    ap.add_argument("--seed", type=int, default=18)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.dir, exist_ok=True)

    cohosts, guests = people(rng, a.guests)
    turns = timeline(rng, a.duration, cohosts, guests)
    spoken = {}
    for who, s, e in turns:
        spoken[who] = spoken.get(who, 0) + e - s
    dump(os.path.join(a.dir, "turns.ndjson"),
         [turn_record(*t) for t in turns])

    heard = [HOST] + [p for p in cohosts + guests if p in spoken]
    end_ms = START_MS + round(a.duration * 1000)
    recs = [{"type": "space", "id": SPACE_ID, "title": "Three hours of it",
             "state": "ended", "creator_id": HOST[0], "host_ids":
             [HOST[0]] + [c[0] for c in cohosts], "started_at":
             iso(START_MS), "ended_at": iso(end_ms), "participant_count":
             40 * len(heard), "source": "archive"}]
    recs += [{"type": "user", "id": p[0], "username": p[1],
              "source": "archive"} for p in heard]
    dump(os.path.join(a.dir, "records.ndjson"), recs)

    clips = []
    for i in range(a.clips):
        n = rng.uniform(15, 180)
        s = rng.uniform(0, a.duration - n)
        clips.append({"type": "clip", "start": round(s, 3),
                      "end": round(s + n, 3), "title": "Clip %d" % (i + 1),
                      "path": "clip-%04d.m4a" % (i + 1)})
    dump(os.path.join(a.dir, "clips.ndjson"), clips)

    recs, _ = ledger(rng, cohosts, guests, spoken, a.refused, a.noise)
    dump(os.path.join(a.dir, "ledger.ndjson"), recs)


if __name__ == "__main__":
    main()
