# SPDX-License-Identifier: GPL-2.0
#
# Commands and daemons.  Each cmd/<name>.c becomes build/bin/<name>, linked
# against libbproc; add <name> to COMMANDS (daemons to DAEMONS, installed in
# sbin).  bpmaster, bpslave, bpsh, bpstat, bpctl and bpcp arrive with the
# issues that build them.

COMMANDS := bpcheckpoint bprestart
DAEMONS :=

# Tools the tests run on diskless slaves (no libc there) are static.
LIBS_bprestart := -static
LIBS_bpcheckpoint := -static

define cmd_rule
$(B)/bin/$(1): $(B)/cmd/$(1).o $(B)/lib/libbproc.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_CFLAGS) -o $$@ $$< $(B)/lib/libbproc.a $$(LIBS_$(1))
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
INSTALL_TARGETS += install-cmd
