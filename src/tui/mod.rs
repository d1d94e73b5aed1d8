//! The reader: the Elm architecture over the local database. A model, messages,
//! a pure `update(model, msg) -> Vec<Command>`, a view that only reads the model,
//! and a runner that executes commands in tasks that answer with messages.
