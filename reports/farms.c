/* The farms' options, and what their formats share. */
#include "farms.h"

#include <string.h>

struct farm_options farm_options;

void
farm_clean(const char *s, const char *allowed, char *out, size_t len)
{
	size_t i;

	if (len == 0)
		return;
	for (i = 0; s[i] != '\0' && i + 1 < len; i++)
		out[i] = strchr(allowed, s[i]) != NULL ? s[i] : '_';
	out[i] = '\0';
}

int
farm_options_set(const struct farm_options *o, char *err, size_t errlen)
{
	if (o->origin != NULL && (o->origin[0] == '\0' ||
	    strspn(o->origin, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(o->origin))) {
		snprintf(err, errlen, "--origin '%s': KCIDB wants a name of [a-z0-9_]", o->origin);
		return -1;
	}
	if ((o->checkout_id != NULL && o->checkout_id[0] == '\0') ||
	    (o->build_id != NULL && o->build_id[0] == '\0') ||
	    (o->job_id != NULL && o->job_id[0] == '\0')) {
		snprintf(err, errlen, "an id option is empty");
		return -1;
	}
	farm_options = *o;
	return 0;
}
