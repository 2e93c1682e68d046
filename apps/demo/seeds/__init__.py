"""The demo's seed steps, one module per app whose data they write (registered in `DemoConfig.ready()`)."""
