#!/bin/sh
# Regenerates the sample media in ../fixtures with Debian's ffmpeg (apt-get install ffmpeg).
# The outputs are committed; CI never runs this script. Re-running it with the same ffmpeg
# build (Debian 12: ffmpeg 5.1) gives byte-identical files thanks to the bit-exact flags.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out="$here/../fixtures"
mkdir -p "$out"

# A 2 s, 160x120 test pattern with a 440 Hz tone: about 17 KB, plays in Chromium.
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=160x120:rate=25:duration=2" \
  -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=2" \
  -c:v libx264 -preset veryslow -crf 35 -pix_fmt yuv420p \
  -c:a aac -b:a 32k -ac 1 \
  -movflags +faststart -map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
  -shortest "$out/speaker.mp4"

# 2 s of mono 16 kHz 16-bit PCM speech stand-in (a 220 Hz tone): about 64 KB.
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "sine=frequency=220:sample_rate=16000:duration=2" \
  -c:a pcm_s16le -ac 1 -map_metadata -1 -fflags +bitexact -flags:a +bitexact \
  "$out/speech.wav"

ls -l "$out"
