"""Work orders (工单): work requested from a person or a team, with an SLA."""
