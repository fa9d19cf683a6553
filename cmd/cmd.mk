# SPDX-License-Identifier: GPL-2.0
#
# Commands and daemons.  Each cmd/<name>.c becomes build/bin/<name>, linked
# against libbproc; add <name> to COMMANDS (daemons to DAEMONS, installed in
# sbin).  A program too big for one file is a directory, cmd/<name>/*.c:
# list it in DIR_PROGRAMS too.  bpmaster, bpslave, bpsh, bpstat, bpctl and
# bpcp arrive with the issues that build them.

COMMANDS := bpcheckpoint bprestart bpstat bpctl bplib bpsh
DAEMONS := bpmaster bpslave

# Extra objects a command links besides libbproc (OBJS_<name>).
BPD_OBJS := $(B)/cmd/bpdaemon.o $(B)/common/bpwire.o $(B)/common/bpwire_decode.o \
	    $(B)/common/bpwire_encode.o $(B)/common/moveio_check.o
OBJS_bpmaster := $(BPD_OBJS) $(B)/common/bpconfig.o
# bpslave's PID namespace's init (cmd/bpslave/nsinit.c) uses libbproc's
# internal restore call (lib/internal.h).
OBJS_bpslave := $(BPD_OBJS)
$(B)/cmd/bpslave/%.o: ALL_CFLAGS += -Ilib
$(B)/cmd/bpdaemon.o: ALL_CFLAGS += -Icommon

# Programs made of a directory: cmd/<name>/*.c, linked in place of
# cmd/<name>.o, each object built with -Icommon -Icmd (bpdaemon.h, bpwire.h).
DIR_PROGRAMS := bpmaster bpslave bpsh
DIR_OBJS = $(patsubst %.c,$(B)/%.o,$(wildcard cmd/$(1)/*.c))
$(foreach p,$(DIR_PROGRAMS),$(call DIR_OBJS,$(p))): ALL_CFLAGS += -Icommon -Icmd

# Tools the tests run on diskless slaves (no libc there) are static.
LIBS_bprestart := -static
LIBS_bpcheckpoint := -static
# bpslave is the slave image's daemon.  It serves the master's files to
# the node's processes with libfuse (cmd/bpslave/files.c).
LIBS_bpslave := -static $(shell pkg-config --static --libs fuse3 2>/dev/null || echo -lfuse3 -lpthread -ldl)
$(B)/cmd/bpslave/files.o: ALL_CFLAGS += $(shell pkg-config --cflags fuse3 2>/dev/null || echo -I/usr/include/fuse3)
# bpsh's own start is part of every remote start (and of the comparison
# with ssh): static, it skips the dynamic loader.  Measured under TCG
# (2026-12-02, 10 runs, twice): `bpsh 0 true` 392-404 ms static against
# 592-668 ms dynamic, per start.
LIBS_bpsh := -static

# A program's own objects: cmd/<name>.o, or its directory's.
CMD_OBJS = $(if $(filter $(1),$(DIR_PROGRAMS)),$(call DIR_OBJS,$(1)),$(B)/cmd/$(1).o)

define cmd_rule
$(B)/bin/$(1): $(call CMD_OBJS,$(1)) $$(OBJS_$(1)) $(B)/lib/libbproc.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_CFLAGS) -o $$@ $(call CMD_OBJS,$(1)) $$(OBJS_$(1)) $(B)/lib/libbproc.a $$(LIBS_$(1))
endef
$(foreach c,$(COMMANDS) $(DAEMONS),$(eval $(call cmd_rule,$(c))))

USER_TARGETS += $(COMMANDS:%=$(B)/bin/%) $(DAEMONS:%=$(B)/bin/%)

.PHONY: install-cmd
install-cmd: $(COMMANDS:%=$(B)/bin/%) $(DAEMONS:%=$(B)/bin/%)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR)
	$(if $(COMMANDS),install -m 755 $(COMMANDS:%=$(B)/bin/%) $(DESTDIR)$(BINDIR)/)
	$(if $(DAEMONS),install -m 755 $(DAEMONS:%=$(B)/bin/%) $(DESTDIR)$(SBINDIR)/)
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(wildcard Documentation/man/*.1) $(DESTDIR)$(MANDIR)/man1/
	install -d $(DESTDIR)$(MANDIR)/man5
	install -m 644 $(wildcard Documentation/man/*.5) $(DESTDIR)$(MANDIR)/man5/
	install -d $(DESTDIR)$(MANDIR)/man8
	install -m 644 $(wildcard Documentation/man/*.8) $(DESTDIR)$(MANDIR)/man8/
INSTALL_TARGETS += install-cmd
