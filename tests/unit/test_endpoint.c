/*
 * Unit tests of the endpoint helpers in include/ax/endpoint.h: packing a
 * slot and a generation, unpacking them, the generation sequence, and that
 * the special endpoints can never be mistaken for a process.
 */
#include <ax/endpoint.h>

#include "unit.h"

TEST(endpoint_round_trip,
     "endpoint_make then endpoint_slot/endpoint_gen give back slot and generation")
{
	static const int gens[] = { 0, 1, 2, 1000, ENDPT_MAX_GEN - 1, ENDPT_MAX_GEN };

	for (int slot = 0; slot < NR_SLOTS; slot++) {
		for (unsigned g = 0; g < sizeof gens / sizeof gens[0]; g++) {
			endpoint_t e = endpoint_make(slot, gens[g]);
			CHECK_EQ_INT(endpoint_slot(e), slot);
			CHECK_EQ_INT(endpoint_gen(e), gens[g]);
			CHECK(e >= 0);
		}
	}
}

TEST(endpoint_generation_zero_is_slot, "generation 0 endpoints are the slot numbers themselves")
{
	CHECK_EQ_INT(endpoint_make(5, 0), 5);
	CHECK_EQ_INT(endpoint_make(ANY, 0), ANY);
	CHECK_EQ_INT(endpoint_slot(SYSTEM), 2);
	CHECK_EQ_INT(endpoint_gen(SYSTEM), 0);
}

TEST(endpoint_next_gen_wraps_to_1, "generations count up and wrap from the maximum to 1, never 0")
{
	CHECK_EQ_INT(endpoint_next_gen(0), 1);
	CHECK_EQ_INT(endpoint_next_gen(1), 2);
	CHECK_EQ_INT(endpoint_next_gen(ENDPT_MAX_GEN - 1), ENDPT_MAX_GEN);
	CHECK_EQ_INT(endpoint_next_gen(ENDPT_MAX_GEN), 1);
	for (int g = 1; g <= ENDPT_MAX_GEN; g++) {
		int next = endpoint_next_gen(g);
		CHECK(next != 0);
		CHECK(next >= 1 && next <= ENDPT_MAX_GEN);
	}
}

TEST(endpoint_max_gen_fits,
     "the largest generation with the largest slot is still a positive endpoint")
{
	endpoint_t e = endpoint_make(ENDPT_SLOT_MASK, ENDPT_MAX_GEN);

	CHECK(e > 0);
	CHECK_EQ_INT(endpoint_gen(e), ENDPT_MAX_GEN);
	CHECK_EQ_INT(endpoint_slot(e), ENDPT_SLOT_MASK);
}

TEST(endpoint_specials_never_real,
     "ANY, NONE and SELF equal no endpoint of any slot < NR_SLOTS and any generation")
{
	CHECK(endpoint_slot(ANY) >= NR_SLOTS);
	CHECK(endpoint_slot(NONE) >= NR_SLOTS);
	CHECK(endpoint_slot(SELF) >= NR_SLOTS);
	CHECK(ANY != NONE && NONE != SELF && ANY != SELF);
	for (int gen = 0; gen <= ENDPT_MAX_GEN; gen++) {
		for (int slot = 0; slot < NR_SLOTS; slot++) {
			endpoint_t e = endpoint_make(slot, gen);
			if (e == ANY || e == NONE || e == SELF)
				unit_fail(__FILE__, __LINE__,
					  "slot %d gen %d gives special endpoint %d", slot, gen, e);
		}
	}
}
