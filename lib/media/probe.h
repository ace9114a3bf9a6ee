/* probe: what an audio file holds, as the media record of spaces-info. */
#ifndef SP_PROBE_H
#define SP_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

struct sp_probe_opts {
	int	 loudness;	/* decode and measure EBU R128 loudness */
	int	 silences;	/* decode and find the speech stretches */
	double	 threshold;	/* dBFS below which it is silence */
	double	 min_silence;	/* seconds a silence must last to split */
	double	 min_speech;	/* seconds a speech stretch must last */
};
/* Loudness alone is measured in spans at once (sp_measure_set_jobs). */

/*
 * Describe the audio in the file at path, a seekable file (the caller
 * copies a pipe to a temporary file first); name is what the record and
 * messages call it ("-" for stdin).  The container is found from the
 * content, never the name.  Returns a new "media" record, or NULL with a
 * one-line reason in err ("not an audio file this tool reads", "the last
 * frame is cut short" is a warning in the record, not a failure).
 *
 * With o->silences, *clips is set to a new array of "clip" records, one
 * per speech stretch; otherwise it is left alone.
 */
json_t	*sp_probe(const char *path, const char *name,
	    const struct sp_probe_opts *o, json_t **clips, char *err,
	    size_t errlen);

/*
 * When the audio at path was recorded, as the file says: *ms (since 1970,
 * UTC) at its first sample, as "started_at" of sp_probe: ADTS from the
 * NTP time in X's ID3 tags, MP4 from the mvhd creation time, Opus from a
 * DATE comment with a time of day.  0, or -1 when it does not say (or
 * cannot be read).
 */
int	sp_probe_recorded(const char *path, int64_t *ms);

#endif
