"""Settings shared by every test folder."""

from hypothesis import HealthCheck, settings

# Property tests judge behaviour, not speed: on a loaded CI machine, generating inputs or running
# one example can take seconds, which must not fail a run (speed is measured in benchmarks/).
settings.register_profile("project", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("project")
