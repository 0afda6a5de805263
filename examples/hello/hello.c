/* hello: the smallest appliance service. One line on stdout every five
 * seconds; PID 1 puts it on the console as "hello[out]: ...". */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	for (unsigned long n = 1;; n++) {
		printf("hello from a sealed root (%lu)\n", n);
		fflush(stdout);
		sleep(5);
	}
}
