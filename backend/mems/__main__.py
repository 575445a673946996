from mems.cli import main

main()
