/* SPDX-License-Identifier: ISC */
/* conninfo: secrets in a libpq connection string; see conninfo.h. */
#include <string.h>

#include <libpq-fe.h>

#include "fbl/store/conninfo.h"

bool
conninfo_has_password(const char *conninfo)
{
	PQconninfoOption *opts, *o;
	char		*err = NULL;
	bool		 has = false;

	if (conninfo == NULL ||
	    (opts = PQconninfoParse(conninfo, &err)) == NULL) {
		PQfreemem(err);
		return false;	/* libpq will say what is wrong with it */
	}
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL &&
		    o->val[0] != '\0')
			has = true;
	PQconninfoFree(opts);
	return has;
}
