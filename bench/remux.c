/* remux: bench/video.sh's driver for lib/remux (not installed): the
 * segment files in order into one output of the kind its name ends in. */
#include <stdio.h>
#include <string.h>

#include "remux.h"

int
main(int argc, char **argv)
{
	struct sp_remux_stats st;
	const char *dot;
	char err[256];
	int kind;

	if (argc < 3 || (dot = strrchr(argv[1], '.')) == NULL ||
	    (kind = sp_remux_kind(dot + 1)) < 0) {
		fputs("usage: remux out.{mp4,ts,m4a,aac} segment.ts ...\n",
		    stderr);
		return 2;
	}
	if (sp_remux_files(argv + 2, (size_t)argc - 2, argv[1], kind, 1, &st,
	    err, sizeof(err)) != 0) {
		fprintf(stderr, "remux: %s\n", err);
		return 1;
	}
	fprintf(stderr, "remux: %llu video frames, %llu audio frames, "
	    "%.3f s video, %.3f s audio, %llu gaps, %llu discontinuities\n",
	    (unsigned long long)st.video_frames,
	    (unsigned long long)st.audio_frames, st.video_seconds,
	    st.audio_seconds, (unsigned long long)st.cc_gaps,
	    (unsigned long long)st.discontinuities);
	return 0;
}
