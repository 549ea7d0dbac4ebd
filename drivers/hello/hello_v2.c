/* The second build of hello, with another greeting: the new version in live-update tests. */
#define HELLO_GREETING "Howdy"
#include "hello.c"
