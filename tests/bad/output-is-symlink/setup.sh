ln -s sentinel link
