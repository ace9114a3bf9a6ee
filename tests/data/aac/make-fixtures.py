#!/usr/bin/env python3
"""make-fixtures.py: build crc.aac and space-chunks.aac from the
ffmpeg-made speech-3s.aac and mono-44k.aac beside this script (see README).

Stdlib only; the outputs are committed, so this runs only to remake them:
    python3 tests/data/aac/make-fixtures.py
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
PTS_OWNER = b"com.apple.streaming.transportStreamTimestamp"


def frames(data):
    """Split a clean ADTS stream (as ffmpeg writes it) into frames."""
    out = []
    i = 0
    while i < len(data):
        assert data[i] == 0xFF and data[i + 1] & 0xF6 == 0xF0, i
        n = ((data[i + 3] & 3) << 11) | (data[i + 4] << 3) | (data[i + 5] >> 5)
        out.append(data[i:i + n])
        i += n
    assert i == len(data)
    return out


def syncsafe(n):
    assert n < 1 << 28
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F,
                  n & 0x7F])


def id3v24(frame_list):
    body = b"".join(frame_list)
    return b"ID3\x04\x00\x00" + syncsafe(len(body)) + body


def frame24(fid, payload):
    return fid + syncsafe(len(payload)) + b"\x00\x00" + payload


def priv_tag(pts):
    """The 73-byte tag that opens every HLS packed-audio chunk (RFC 8216)."""
    t = id3v24([frame24(b"PRIV", PTS_OWNER + b"\x00" +
                        struct.pack(">Q", pts))])
    assert len(t) == 73
    return t


def txxx(desc, value):
    # Encoding 3 (UTF-8), description, NUL, value.
    return frame24(b"TXXX", b"\x03" + desc + b"\x00" + value)


def crc16(data):
    # CRC-16, polynomial 0x8005, initial value 0xFFFF, MSB first.
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x8005) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def add_crc(frame):
    """Rewrite a 7-byte-header frame as a CRC-protected one: clear
    protection_absent, grow frame_length by 2, insert the 2 CRC bytes.
    The CRC covers the 7 header bytes only (the standard also covers the
    first bits of each raw data element, which needs a bitstream parser);
    neither lib/adts nor ffmpeg checks it."""
    h = bytearray(frame[:7])
    assert h[1] & 1 and h[6] & 3 == 0
    n = len(frame) + 2
    h[1] &= 0xFE
    h[3] = (h[3] & 0xFC) | (n >> 11)
    h[4] = (n >> 3) & 0xFF
    h[5] = ((n & 7) << 5) | (h[5] & 0x1F)
    return bytes(h) + struct.pack(">H", crc16(h)) + frame[7:]


def main():
    with open(os.path.join(HERE, "mono-44k.aac"), "rb") as f:
        mono = frames(f.read())
    with open(os.path.join(HERE, "crc.aac"), "wb") as f:
        f.write(b"".join(add_crc(x) for x in mono))

    with open(os.path.join(HERE, "speech-3s.aac"), "rb") as f:
        speech = frames(f.read())
    # Two chunks of half the speech each (the fixtures stay under 100 KB);
    # the second PTS is the first plus the first chunk's length at 90 kHz.
    half = len(speech) // 2
    pts1 = 0x1C9DDE382                  # the value in x-formats.md §1.6
    pts2 = pts1 + half * 1024 * 90000 // 48000
    hydra = id3v24([
        frame24(b"TIT3", b"\x033856965984.391"),
        txxx(b"JSONMetadata", b'{"HydraVersion":4,"ntp":3856965984.391}'),
        txxx(b"HydraParticipants", b"[]"),
        txxx(b"HydraAudioLevel", b"[0]"),
    ])
    out = priv_tag(pts1) + b"".join(speech[:10]) + hydra
    out += b"".join(speech[10:half])
    out += b"partial-header-junk!" + priv_tag(pts2)
    out += b"".join(speech[half:])
    with open(os.path.join(HERE, "space-chunks.aac"), "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
