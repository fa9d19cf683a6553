# SPDX-License-Identifier: LGPL-2.1-only
#
# libbproc: static and shared, a sealed symbol version script, a .pc file.

LIB_VERSION := 5.0.0
LIB_SONAME  := libbproc.so.5
LIB_SRCS    := lib/control.c lib/vmadump.c
# The node calls; the nodespec parser reads no file (unit tests, fuzzing).
LIB_SRCS    += lib/files.c lib/nodes.c lib/nodeset.c lib/nodespec.c lib/libs.c lib/strerror.c
LIB_SRCS    += lib/move.c
# A move's descriptor entries are checked by the kernel's own rules
# (common/moveio_check.c).
LIB_SRCS    += common/moveio_check.c
# The restore stub parses and validates the image's prefix itself
# (common/ code; its symbols stay local through libbproc.sym).
LIB_SRCS    += lib/vmaundump.c common/vmad_check.c common/vmad_check_rec.c \
	       common/crc32c.c
LIB_SRCS    := $(sort $(LIB_SRCS))
LIB_OBJS    := $(LIB_SRCS:%.c=$(B)/%.o)
LIB_PIC     := $(LIB_SRCS:%.c=$(B)/pic/%.o)

$(B)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=default -MMD -MP -c -o $@ $<

$(B)/lib/libbproc.a: $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(B)/lib/$(LIB_SONAME): $(LIB_PIC) lib/libbproc.sym
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,$(LIB_SONAME) \
		-Wl,--version-script,lib/libbproc.sym -Wl,-z,defs -o $@ $(LIB_PIC)

$(B)/lib/libbproc.so: $(B)/lib/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $@

$(B)/lib/libbproc.pc: lib/libbproc.pc.in lib/lib.mk
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCDIR@|$(INCDIR)|' -e 's|@VERSION@|$(LIB_VERSION)|' $< > $@

USER_TARGETS += $(B)/lib/libbproc.a $(B)/lib/libbproc.so $(B)/lib/libbproc.pc

# The NSS hosts module (lib/nss/): node names from the kernel's node table.
# Self-contained (it loads into every program that resolves a name, setuid
# ones included), so not linked with libbproc; only its _nss_bproc_* entry
# points are exported (nss_bproc.sym).
NSS_SONAME  := libnss_bproc.so.2
NSS_SRCS    := lib/nss/nss_bproc.c
NSS_PIC     := $(NSS_SRCS:%.c=$(B)/pic/%.o)

$(B)/lib/$(NSS_SONAME): $(NSS_PIC) lib/nss/nss_bproc.sym
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,$(NSS_SONAME) \
		-Wl,--version-script,lib/nss/nss_bproc.sym -Wl,-z,defs -o $@ $(NSS_PIC)

USER_TARGETS += $(B)/lib/$(NSS_SONAME)

.PHONY: install-lib
install-lib: $(B)/lib/libbproc.a $(B)/lib/libbproc.so $(B)/lib/libbproc.pc $(B)/lib/$(NSS_SONAME)
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR)/sys $(DESTDIR)$(INCDIR)/linux
	install -m 644 $(B)/lib/libbproc.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(B)/lib/$(LIB_SONAME) $(DESTDIR)$(LIBDIR)/
	# glibc dlopen()s NSS modules by soname: from ld.so.cache or the
	# system library directories (/lib/x86_64-linux-gnu,
	# /usr/lib/x86_64-linux-gnu, /lib, /usr/lib), never LD_LIBRARY_PATH
	# in a setuid program.  PREFIX=/usr is found as installed; a
	# PREFIX=/usr/local install needs `ldconfig` (Debian lists
	# /usr/local/lib in /etc/ld.so.conf.d/libc.conf) or a link to it in
	# /usr/lib/x86_64-linux-gnu.  No development link: nothing links it.
	install -m 755 $(B)/lib/$(NSS_SONAME) $(DESTDIR)$(LIBDIR)/
	ln -sf $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libbproc.so
	# Generated here, not copied: the paths are the ones of this install.
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCDIR@|$(INCDIR)|' -e 's|@VERSION@|$(LIB_VERSION)|' \
	    lib/libbproc.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/libbproc.pc
	install -m 644 lib/include/sys/bproc.h $(DESTDIR)$(INCDIR)/sys/
	install -m 644 include/uapi/linux/bproc.h include/uapi/linux/bproc_image.h $(DESTDIR)$(INCDIR)/linux/
	install -d $(DESTDIR)$(MANDIR)/man3
	install -m 644 $(wildcard Documentation/man/*.3) $(DESTDIR)$(MANDIR)/man3/
INSTALL_TARGETS += install-lib
