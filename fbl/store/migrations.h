/*
 * migrations: the numbered SQL files of sql/, compiled into the binary by
 * sql/embed.sh (see the Makefile), in version order.
 */
#ifndef FBL_MIGRATIONS_H
#define FBL_MIGRATIONS_H

#include <stddef.h>

struct migration {
	int		 version;
	const char	*name;
	const char	*sql;
};

extern const struct migration	migrations[];
extern const size_t		migrations_count;

#endif
