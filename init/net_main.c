/* Placeholder until the network service lands: nothing to configure. */
#include "stages.h"

int net_main(void)
{
	return 0;
}
