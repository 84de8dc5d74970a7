"""The vocabulary every other part of core speaks: typed client errors with their codes (`errors`)
and record ids, time-ordered UUIDs parsed and checked (`ids`). Imports nothing else of core."""
