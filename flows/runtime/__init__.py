"""What a run runs on: the warehouse lock, task runners, the Prefect server, the retry policy, the schedule."""
