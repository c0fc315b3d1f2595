defmodule X.MixProject do
end
