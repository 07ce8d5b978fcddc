/* SPDX-License-Identifier: ISC */
/*
 * migrations: the files of sql/, compiled into the binary by sql/embed.sh
 * (see the Makefile).
 *
 * migrations[] are the numbered files, in version order: tables and data
 * changes, each applied once.  definitions_sql is sql/definitions.sql,
 * every view and function, applied on every `db migrate`;
 * definitions_functions its functions alone, applied before the pending
 * migrations too (their data changes may call them).
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
extern const char		definitions_functions[];
extern const char		definitions_sql[];

#endif
