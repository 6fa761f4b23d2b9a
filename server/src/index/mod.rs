pub mod python_env;
