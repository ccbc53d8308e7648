"""Faults on purpose (D38): what a test environment was told to inject (:mod:`.store`), the API
side the gateway applies (:mod:`.api`) and the delivery side the dispatcher applies
(:mod:`.deliveries`)."""
