// SPDX-License-Identifier: GPL-2.0
/* bpslave: reboot, halt or power off the node when the master's BYE says so. */
#include <errno.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

#include "bpslave.h"

void power(uint32_t action)
{
	static const struct {
		int cmd;
		const char *name;
	} how[BPWIRE_BYE_NR] = {
		[BPWIRE_BYE_REBOOT] = { RB_AUTOBOOT, "rebooting" },
		[BPWIRE_BYE_HALT] = { RB_HALT_SYSTEM, "halting" },
		[BPWIRE_BYE_PWROFF] = { RB_POWER_OFF, "powering off" },
	};

	if (action == BPWIRE_BYE_NONE || action >= BPWIRE_BYE_NR)
		return;
	if (S.shared) {
		/* The machine is other nodes too: this one only reconnects. */
		bpd_warn("not %s: this machine is other nodes too", how[action].name);
		return;
	}
	bpd_info("%s, as the master asked", how[action].name);
	sync();
	if (reboot(how[action].cmd)) {
		/* Go on serving: the node comes back up as it was. */
		bpd_err("%s failed: %s", how[action].name, strerror(errno));
		return;
	}
	/* A halted kernel stops here; stay quiet until then. */
	for (;;)
		pause();
}
