#!/usr/bin/env python3
"""xapi-mock.py: tests/servers/xapi-mock.py with the README's account.

    xapi-mock.py SCENARIO PORTFILE LOGFILE [LIFETIME]

The same server, the same arguments, plus the host the README follows:
@SpacesHost, id 111111111, the account of the archive tests/gen-archive.py
makes (6210 followers, in Austin, TX), and its live Space 1LiveSpace001,
which the web endpoints of tests/servers/hls-mock.py know as Running, so
that `spaces-lookup --creator @SpacesHost --state live | spaces-record -`
runs end to end in tests/cli/readme.t.
"""
import os
import runpy

HERE = os.path.dirname(os.path.abspath(__file__))
g = runpy.run_path(os.path.join(HERE, "..", "..", "servers", "xapi-mock.py"),
                   run_name="xapi_mock")
g["USERS"]["111111111"] = {
    "id": "111111111", "name": "Spaces Host", "username": "SpacesHost",
    "location": "Austin, TX", "created_at": "2011-06-23T13:04:14.000Z",
    "public_metrics": {"followers_count": 6210, "following_count": 1,
                       "tweet_count": 4, "listed_count": 0}}
g["SPACES"]["1LiveSpace001"] = {
    "id": "1LiveSpace001", "state": "live", "title": "Live one",
    "created_at": "2024-07-05T15:10:00.000Z",
    "started_at": "2024-07-05T15:17:34.637Z",
    "creator_id": "111111111", "host_ids": ["111111111"],
    "participant_count": 42, "lang": "en", "is_ticketed": False}
g["main"]()
