
#compdef cstar

_cstar_completion() {
  eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _CSTAR_COMPLETE=complete_zsh cstar)
}

compdef _cstar_completion cstar

