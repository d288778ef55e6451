/*
 * The formats of kernel test farms (KTAP, KCIDB, SQUAD, LAVA signals): their
 * renderers of the report model (report_model.h), and the options they take.
 */
#ifndef IPCCONF_REPORTS_FARMS_H
#define IPCCONF_REPORTS_FARMS_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/*
 * What the farm's submission says about where it comes from; NULL members
 * take their defaults (KCIDB's origin "ipcconf", ids made from the bundle).
 */
struct farm_options {
	const char *origin;       /* KCIDB origin: [a-z0-9_]+ */
	const char *checkout_id;  /* KCIDB checkout id, without the "origin:" prefix */
	const char *build_id;     /* KCIDB build id, without the prefix; a target's name is added when there are several */
	const char *job_id;       /* SQUAD metadata job_id */
};

/* Sets the options the next renderings use (copies the pointers); -1 with err if one is malformed. */
int farm_options_set(const struct farm_options *o, char *err, size_t errlen);
extern struct farm_options farm_options;

int render_ktap(json_t *model, FILE *out, char *err, size_t errlen);
int render_kcidb(json_t *model, FILE *out, char *err, size_t errlen);
int render_squad(json_t *model, FILE *out, char *err, size_t errlen);
int render_lava(json_t *model, FILE *out, char *err, size_t errlen);

/* A string made only of the characters in allowed, every other one as '_'. */
void farm_clean(const char *s, const char *allowed, char *out, size_t len);

#endif
